export { sampleArea } from '../../threads/msacc-sampler.ts';
export { observeGc } from '../../core/msacc/gc-observer.ts';
export { NodeMsacc, msaccInterval, msaccOptionCheck, kDefaultMsaccIntervalMs, type MsaccOption } from '../../core/msacc/node-msacc.ts';
export { RateWindow, type CounterRates, type CounterReading } from '../../core/msacc/rate-window.ts';
export { readMicrostates, kMsStateNames, type Microstate, type MicrostateReport } from '../../core/microstate.ts';
export { microstateShares, type MicrostateShares } from './shares.ts';
