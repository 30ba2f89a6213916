export { sampleArea, kDefaultMsaccIntervalMs } from './sampler.ts';
export { observeGc } from './gc-observer.ts';
export { NodeMsacc, msaccInterval, msaccOptionCheck, type MsaccOption } from './node-msacc.ts';
export { RateWindow, type CounterRates, type CounterReading } from './rates.ts';
export { readMicrostates, kMsStateNames, type Microstate, type MicrostateReport } from '../../core/microstate.ts';
export { microstateShares, type MicrostateShares } from './shares.ts';
