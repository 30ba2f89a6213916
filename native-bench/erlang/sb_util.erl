%% Shared helpers for the BEAM half of the Switchboard benchmarks.
%%
%% Timing is always erlang:monotonic_time/1; percentiles are nearest-rank on a
%% sorted sample; "quiet" means no normal-scheduler run queue holds work except
%% the caller itself.
-module(sb_util).

-export([now_us/0, now_ns/0, ms_since/1,
         wait_quiet/0, wait_process_count/1,
         kill_all/1, collect_done/2,
         percentiles/2, mean/1,
         spawn_bound/2, can_bind/0]).

now_us() -> erlang:monotonic_time(microsecond).
now_ns() -> erlang:monotonic_time(nanosecond).

%% Elapsed milliseconds (float) since a now_us/0 reading.
ms_since(T0us) -> (now_us() - T0us) / 1000.

%% Block until every process that was made runnable has run and gone back to
%% waiting: total_active_tasks counts queued + running processes/ports on the
%% normal schedulers, and the caller itself is one of them.
wait_quiet() -> wait_quiet(0).

wait_quiet(Polls) ->
    case erlang:statistics(total_active_tasks) of
        N when N =< 1 -> Polls;
        _ -> timer:sleep(1), wait_quiet(Polls + 1)
    end.

%% Poll until the number of live processes is back to at most Base.
%% Polls every millisecond, so the resolution of anything timed with it is ~1 ms.
wait_process_count(Base) ->
    case erlang:system_info(process_count) of
        N when N =< Base -> ok;
        _ -> timer:sleep(1), wait_process_count(Base)
    end.

%% Untrappable kill of every pid in the list, from the caller.
kill_all(Pids) ->
    lists:foreach(fun(P) -> exit(P, kill) end, Pids).

%% Receive N messages {Tag, Value}; return the values (in arrival order reversed).
collect_done(Tag, N) -> collect_done(Tag, N, []).
collect_done(_Tag, 0, Acc) -> Acc;
collect_done(Tag, N, Acc) ->
    receive {Tag, V} -> collect_done(Tag, N - 1, [V | Acc]) end.

%% Nearest-rank percentiles of an unsorted list of numbers; Ps are fractions
%% (0.5, 0.99, 1.0). Returns values in the same order as Ps.
percentiles([], Ps) -> [0 || _ <- Ps];
percentiles(Samples, Ps) ->
    T = list_to_tuple(lists:sort(Samples)),
    N = tuple_size(T),
    [element(max(1, min(N, ceil(P * N))), T) || P <- Ps].

mean([]) -> 0.0;
mean(L) -> lists:sum(L) / length(L).

%% OTP 25 has no documented way to place a process on a scheduler, but
%% erts still accepts the (undocumented) spawn_opt option {scheduler, Id},
%% which binds the process to that scheduler: it is never migrated by work
%% stealing or load balancing. can_bind/0 probes it once; spawn_bound/2 falls
%% back to a plain spawn when it is not available.
can_bind() ->
    case persistent_term:get({?MODULE, can_bind}, undefined) of
        undefined ->
            Self = self(),
            Ok = try
                     P = erlang:spawn_opt(fun() -> Self ! {bound_probe, erlang:system_info(scheduler_id)} end,
                                          [{scheduler, 1}]),
                     receive {bound_probe, 1} -> is_pid(P); {bound_probe, _} -> false
                     after 5000 -> false end
                 catch _:_ -> false
                 end,
            persistent_term:put({?MODULE, can_bind}, Ok),
            Ok;
        V -> V
    end.

spawn_bound(Sched, Fun) ->
    case can_bind() of
        true -> erlang:spawn_opt(Fun, [{scheduler, Sched}]);
        false -> spawn(Fun)
    end.
