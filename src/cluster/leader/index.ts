/** Leader election (Erlang's gen_leader): public exports of src/cluster/leader/. Re-exports only. */
export { defineGenLeader, GenLeader } from './gen-leader.ts';
export type {
  DownResult,
  ElectedResult,
  GenLeaderImpl,
  GenLeaderOptions,
  LeaderCallResult,
  LeaderCastResult,
  LocalCallResult,
  LocalNoReplyResult,
  OkResult,
} from './gen-leader.ts';
export type { GenLeader as GenLeaderBehaviour } from './gen-leader.ts';
export { alive, candidates, leaderNode, workers, type Election } from './election.ts';
export { LeaderAlreadyStartedError, LeaderDiedError, NotInElectionError } from './errors.ts';
