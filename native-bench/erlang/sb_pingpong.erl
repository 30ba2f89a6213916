%% ping-pong: request/reply between two processes.
%%
%% Variant "1pair": one pinger does RoundTrips synchronous round trips
%%   ({ping, self()} -> pong) with one ponger; ns_per_roundtrip, timed inside the
%%   pinger (excludes spawning).
%% Variant "<P>pairs": P independent pairs each do PairRoundTrips round trips,
%%   all released at once; msgs_per_s = 2 * P * PairRoundTrips / elapsed (from
%%   the release until the last pinger reports).
-module(sb_pingpong).
-export([params/1, run/1]).

params(full) -> #{roundtrips => 1000000, pairs => 1000, pair_roundtrips => 10000};
params(quick) -> #{roundtrips => 20000, pairs => 100, pair_roundtrips => 200}.

run(#{roundtrips := R, pairs := P, pair_roundtrips := PR}) ->
    one_pair(R),
    many_pairs(P, PR).

one_pair(R) ->
    Self = self(),
    Ponger = spawn(fun ponger/0),
    Pinger = spawn(fun() ->
                           T0 = sb_util:now_ns(),
                           ping(Ponger, R),
                           Self ! {pinged, sb_util:now_ns() - T0}
                   end),
    Ns = receive {pinged, N} -> N end,
    exit(Ponger, kill),
    _ = Pinger,
    sb_bench:emit("1pair", ns_per_roundtrip, ns, Ns / R, lower,
                  [{roundtrips, R}, {msgs_per_s, 2 * R / (Ns / 1.0e9)}]).

many_pairs(P, PR) ->
    Variant = integer_to_list(P) ++ "pairs",
    Self = self(),
    Pongers = [spawn(fun ponger/0) || _ <- lists:seq(1, P)],
    Pingers = [spawn(fun() -> receive go -> ok end, ping(Po, PR), Self ! {pinged, ok} end)
               || Po <- Pongers],
    sb_util:wait_quiet(),
    T0 = sb_util:now_ns(),
    lists:foreach(fun(Pi) -> Pi ! go end, Pingers),
    _ = sb_util:collect_done(pinged, P),
    Ns = sb_util:now_ns() - T0,
    sb_util:kill_all(Pongers),
    Msgs = 2 * P * PR,
    sb_bench:emit(Variant, msgs_per_s, 'msgs/s', Msgs / (Ns / 1.0e9), higher,
                  [{messages, Msgs}, {ns_per_roundtrip_aggregate, Ns / (P * PR)}]).

ping(_Ponger, 0) -> ok;
ping(Ponger, N) ->
    Ponger ! {ping, self()},
    receive pong -> ping(Ponger, N - 1) end.

ponger() ->
    receive {ping, From} -> From ! pong, ponger() end.
