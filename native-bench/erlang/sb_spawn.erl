%% spawn: process creation, footprint and teardown.
%%
%% Variant "blocked_<N>": spawn N processes that each block in a receive.
%%   spawn_ms           time from the first spawn until all N are spawned AND have
%%                      run to their receive (run queues drained, see sb_util:wait_quiet/0)
%%   bytes_per_process  (erlang:memory(processes) after - before - growth of the
%%                      spawning process itself, which holds the list of pids) / N,
%%                      measured once all N are blocked. erlang:memory(processes)
%%                      covers process control blocks, heaps and stacks of all
%%                      processes. Extra field "process_info_memory" is
%%                      process_info(P, memory) of one blocked process, for reference.
%%   kill_ms            exit(P, kill) from the parent for all N, then time until
%%                      erlang:system_info(process_count) is back to its value before
%%                      the spawns (polled every 1 ms).
%% Variant "exit_<N>": spawn N processes that return at once.
%%   spawn_exit_ms      time from the first spawn until process_count is back to
%%                      its value before the spawns (polled every 1 ms).
-module(sb_spawn).
-export([params/1, run/1]).

params(full) -> #{n => 1000000, exit_n => 1000000};
params(quick) -> #{n => 10000, exit_n => 10000}.

run(#{n := N, exit_n := ExitN}) ->
    sb_bench:need_processes(max(N, ExitN)),
    blocked(N),
    spawn_exit(ExitN).

blocked(N) ->
    Variant = "blocked_" ++ integer_to_list(N),
    sb_util:wait_quiet(),
    erlang:garbage_collect(),
    Base = erlang:system_info(process_count),
    {memory, SelfMem0} = process_info(self(), memory),
    Mem0 = erlang:memory(processes),
    T0 = sb_util:now_us(),
    Pids = spawn_blocked(N, []),
    SpawnLoopMs = sb_util:ms_since(T0),
    sb_util:wait_quiet(),
    SpawnMs = sb_util:ms_since(T0),
    Mem1 = erlang:memory(processes),
    {memory, SelfMem1} = process_info(self(), memory),
    {memory, OneMem} = process_info(hd(Pids), memory),
    {status, waiting} = process_info(hd(Pids), status),
    Bytes = (Mem1 - Mem0 - (SelfMem1 - SelfMem0)) / N,
    sb_bench:emit(Variant, spawn_ms, ms, SpawnMs, lower,
                  [{spawn_loop_ms, SpawnLoopMs}, {us_per_spawn, SpawnMs * 1000 / N}]),
    sb_bench:emit(Variant, bytes_per_process, bytes, Bytes, lower,
                  [{source, "erlang:memory(processes) delta minus spawner growth, / N"},
                   {process_info_memory, OneMem}]),
    T1 = sb_util:now_us(),
    sb_util:kill_all(Pids),
    sb_util:wait_process_count(Base),
    KillMs = sb_util:ms_since(T1),
    sb_bench:emit(Variant, kill_ms, ms, KillMs, lower,
                  [{confirmed_by, "process_count polled every 1 ms"}]).

spawn_blocked(0, Acc) -> Acc;
spawn_blocked(N, Acc) ->
    spawn_blocked(N - 1, [spawn(fun blocked_loop/0) | Acc]).

blocked_loop() ->
    receive stop -> ok end.

spawn_exit(N) ->
    Variant = "exit_" ++ integer_to_list(N),
    sb_util:wait_quiet(),
    Base = erlang:system_info(process_count),
    T0 = sb_util:now_us(),
    spawn_exiting(N),
    sb_util:wait_process_count(Base),
    Ms = sb_util:ms_since(T0),
    sb_bench:emit(Variant, spawn_exit_ms, ms, Ms, lower,
                  [{us_per_process, Ms * 1000 / N},
                   {confirmed_by, "process_count polled every 1 ms"}]).

spawn_exiting(0) -> ok;
spawn_exiting(N) ->
    spawn(fun exit_at_once/0),
    spawn_exiting(N - 1).

exit_at_once() -> ok.
