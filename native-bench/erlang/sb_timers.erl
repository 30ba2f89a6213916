%% timers: Procs processes each do `receive after AfterMs -> ok end` Rounds
%% times in a row. All are spawned first, blocked, then released at once.
%%
%% lateness = (monotonic time on waking) - (monotonic time just before the
%% receive + AfterMs), in microseconds via erlang:monotonic_time(microsecond),
%% reported in ms as p50 / p99 (nearest rank over all Procs*Rounds fires; max
%% is an extra field).
%% fires_per_s = Procs * Rounds / (start -> last process reported). Note that this
%% is bounded by the workload's shape: it can't exceed Procs / (AfterMs / 1000).
-module(sb_timers).
-export([params/1, run/1]).

params(full) -> #{procs => 100000, rounds => 10, after_ms => 50, start => "spawn"};
params(quick) -> #{procs => 5000, rounds => 3, after_ms => 50, start => "spawn"}.

run(#{procs := N, rounds := Rounds, after_ms := After, start := Start}) ->
    sb_bench:need_processes(N),
    Variant = integer_to_list(N) ++ "x" ++ integer_to_list(Rounds) ++ "x" ++ integer_to_list(After) ++ "ms"
        ++ case Start of "spawn" -> ""; _ -> "_" ++ Start end,
    Self = self(),
    Sleeper = fun() -> Self ! {fired, sleeper(Rounds, After, [])} end,
    T0 = case Start of
             "spawn" ->
                 %% Each process starts its first timer as soon as it runs.
                 T = sb_util:now_us(),
                 spawn_n(N, Sleeper),
                 T;
             "barrier" ->
                 %% All spawned and blocked first, then released together.
                 Pids = [spawn(fun() -> receive go -> ok end, Sleeper() end) || _ <- lists:seq(1, N)],
                 sb_util:wait_quiet(),
                 T = sb_util:now_us(),
                 lists:foreach(fun(P) -> P ! go end, Pids),
                 T;
             _ ->
                 throw({bench_error, "timers: start must be spawn or barrier, not " ++ Start})
         end,
    Lists = sb_util:collect_done(fired, N),
    Ms = sb_util:ms_since(T0),
    Fires = N * Rounds,
    [P50, P99, Max] = sb_util:percentiles(lists:append(Lists), [0.5, 0.99, 1.0]),
    sb_bench:emit(Variant, fires_per_s, 'fires/s', Fires / (Ms / 1000), higher,
                  [{fires, Fires}, {ms, Ms}, {ideal_ms, Rounds * After}, {start, Start}]),
    sb_bench:emit(Variant, lateness_p50, ms, P50 / 1000, lower, [{start, Start}]),
    sb_bench:emit(Variant, lateness_p99, ms, P99 / 1000, lower, [{max_ms, Max / 1000}, {start, Start}]).

spawn_n(0, _F) -> ok;
spawn_n(K, F) -> spawn(F), spawn_n(K - 1, F).

sleeper(0, _After, Acc) -> Acc;
sleeper(K, After, Acc) ->
    Before = erlang:monotonic_time(microsecond),
    receive after After -> ok end,
    Late = erlang:monotonic_time(microsecond) - (Before + After * 1000),
    sleeper(K - 1, After, [Late | Acc]).
