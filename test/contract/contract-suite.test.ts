/**
 * The contract suite: core semantics and OTP behaviours, each written once against the
 * one Node interface (src/core/node.ts), run on every node kind (node-kinds.ts): one node
 * per kind, shared by all the contracts (a node start costs ~1 s; the contracts use
 * their own names and pids, so they do not see each other).
 *
 * One contract per file under core/ and otp/ (`<subject>-<behaviour>.contract.ts`, a
 * default-exported function of the node kind); add a new one to the list below.
 * Only some kinds: SWITCHBOARD_CONTRACT_KINDS=1,2 npx vitest run test/contract/
 */
import { describeEachNodeKind } from './node-kinds.ts';
import callReplyTimeoutNoprocExit from './core/call-reply-timeout-noproc-exit.contract.ts';
import exitKillUntrappable from './core/exit-kill-untrappable.contract.ts';
import exitTrapExitMessage from './core/exit-trap-exit-message.contract.ts';
import linkPropagatesExit from './core/link-propagates-exit.contract.ts';
import monitorDownNoproc from './core/monitor-down-noproc.contract.ts';
import nodeProcessesStats from './core/node-processes-stats.contract.ts';
import nodeStopNotRunning from './core/node-stop-not-running.contract.ts';
import receiveSelectiveAfter from './core/receive-selective-after.contract.ts';
import registryNameFreedOnExit from './core/registry-name-freed-on-exit.contract.ts';
import sendPerPairOrdering from './core/send-per-pair-ordering.contract.ts';
import applicationStartStop from './otp/application-start-stop.contract.ts';
import dynamicSupervisorStartChild from './otp/dynamic-supervisor-start-child.contract.ts';
import genServerCallCastInfo from './otp/gen-server-call-cast-info.contract.ts';
import genStatemDoorTimeout from './otp/gen-statem-door-timeout.contract.ts';
import supervisorOneForOneRestart from './otp/supervisor-one-for-one-restart.contract.ts';
import taskAsyncAwait from './otp/task-async-await.contract.ts';

const contracts = [
  sendPerPairOrdering,
  linkPropagatesExit,
  exitTrapExitMessage,
  exitKillUntrappable,
  monitorDownNoproc,
  registryNameFreedOnExit,
  receiveSelectiveAfter,
  callReplyTimeoutNoprocExit,
  nodeProcessesStats,
  nodeStopNotRunning,
  genServerCallCastInfo,
  supervisorOneForOneRestart,
  dynamicSupervisorStartChild,
  applicationStartStop,
  genStatemDoorTimeout,
  taskAsyncAwait,
];

describeEachNodeKind('contract', (kind) => {
  for (const contract of contracts) contract(kind);
});
