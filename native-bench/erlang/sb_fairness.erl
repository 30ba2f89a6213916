%% fairness: round-trip latency of a pinger to an echo process while a hog
%% process shares their scheduler.
%%
%% Variants (hogs="none,busy_loop,self_flood"):
%%   none        no hog: baseline latency
%%   busy_loop   the hog is a tight tail-recursive counting loop
%%   self_flood  the hog sends itself FloodBatch messages, receives them all,
%%               and repeats forever (its mailbox is busy but stays bounded)
%% Metrics: rtt_p50, rtt_p99 in microseconds (nearest rank over Samples
%% back-to-back round trips, timed with erlang:monotonic_time(nanosecond));
%% extras: max, mean, same_scheduler_fraction.
%%
%% Keeping pinger, echo and hog on one scheduler:
%%   * with +S 1 there is only one scheduler, so it holds trivially;
%%   * with +S N>1 all three are spawned with the undocumented spawn_opt option
%%     {scheduler, 1}, which OTP 25 still honours and which binds a process to
%%     that scheduler (it is never migrated); if that option is rejected they
%%     are spawned unbound and the BEAM may balance the hog onto another
%%     scheduler (the "placement" field says "unbound").
%% Either way the figure is verified, not assumed: the hog stores the
%% scheduler it runs on in an atomics array every 1024 iterations (busy_loop)
%% or batch (self_flood), and for each sample the pinger compares it with its
%% own erlang:system_info(scheduler_id); the share of samples where they
%% matched is same_scheduler_fraction.
-module(sb_fairness).
-export([params/1, run/1]).

params(full) -> #{samples => 50000, hogs => "none,busy_loop,self_flood", flood_batch => 1000, warmup_ms => 20};
params(quick) -> #{samples => 2000, hogs => "none,busy_loop,self_flood", flood_batch => 1000, warmup_ms => 20}.

run(#{samples := Samples, hogs := Hogs, flood_batch := Batch, warmup_ms := Warmup}) ->
    lists:foreach(fun(H) -> variant(H, Samples, Batch, Warmup) end,
                  string:lexemes(Hogs, ",")).

variant(Hog, Samples, Batch, Warmup) ->
    {Spawn, Placement} = placement(),
    Slot = atomics:new(1, []),
    HogPid = case Hog of
                 "none" -> undefined;
                 "busy_loop" -> Spawn(fun() -> spin(Slot, 0) end);
                 "self_flood" -> Spawn(fun() -> flood(Slot, Batch) end);
                 _ -> throw({bench_error, "unknown hog " ++ Hog ++ " (none, busy_loop, self_flood)"})
             end,
    timer:sleep(Warmup),
    Self = self(),
    Echo = Spawn(fun echo/0),
    Spawn(fun() ->
                  Res = pinger(Echo, Slot, HogPid =/= undefined, Samples, [], 0),
                  Self ! {pinger_done, Res}
          end),
    {Rtts, Same} = receive {pinger_done, R} -> R end,
    exit(Echo, kill),
    case HogPid of undefined -> ok; _ -> exit(HogPid, kill) end,
    [P50, P99, Max] = sb_util:percentiles(Rtts, [0.5, 0.99, 1.0]),
    SameFrac = case HogPid of undefined -> 1.0; _ -> Same / Samples end,
    Extra = [{placement, Placement}, {same_scheduler_fraction, SameFrac}, {samples, Samples}],
    sb_bench:emit(Hog, rtt_p50, us, P50 / 1000, lower, Extra),
    sb_bench:emit(Hog, rtt_p99, us, P99 / 1000, lower,
                  [{max_us, Max / 1000}, {mean_us, sb_util:mean(Rtts) / 1000} | Extra]).

placement() ->
    case erlang:system_info(schedulers_online) of
        1 -> {fun erlang:spawn/1, "single_scheduler"};
        _ ->
            case sb_util:can_bind() of
                true -> {fun(F) -> sb_util:spawn_bound(1, F) end, "bound_to_scheduler_1"};
                false -> {fun erlang:spawn/1, "unbound"}
            end
    end.

pinger(_Echo, _Slot, _HasHog, 0, Acc, Same) -> {Acc, Same};
pinger(Echo, Slot, HasHog, N, Acc, Same) ->
    T0 = erlang:monotonic_time(nanosecond),
    Echo ! {ping, self()},
    receive pong -> ok end,
    Rtt = erlang:monotonic_time(nanosecond) - T0,
    Same1 = case HasHog andalso atomics:get(Slot, 1) =:= erlang:system_info(scheduler_id) of
                true -> Same + 1;
                false -> Same
            end,
    pinger(Echo, Slot, HasHog, N - 1, [Rtt | Acc], Same1).

echo() ->
    receive {ping, From} -> From ! pong, echo() end.

spin(Slot, N) when N band 16#3ff =:= 0 ->
    atomics:put(Slot, 1, erlang:system_info(scheduler_id)),
    spin(Slot, N + 1);
spin(Slot, N) ->
    spin(Slot, N + 1).

flood(Slot, Batch) ->
    atomics:put(Slot, 1, erlang:system_info(scheduler_id)),
    send_self(Batch),
    drain(Batch),
    flood(Slot, Batch).

send_self(0) -> ok;
send_self(K) -> self() ! {flood, K}, send_self(K - 1).

drain(0) -> ok;
drain(K) -> receive {flood, _} -> drain(K - 1) end.
