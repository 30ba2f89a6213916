%% ring: A processes in a ring pass one token around L times; every process
%% forwards the token (a hop counter) to the next. Total hops = A * L.
%%
%% Metric per variant "<A>x<L>": ns_per_hop = elapsed / (A * L), elapsed from
%% the token entering the ring to the last hop's notification reaching the
%% driver. Building the ring (setup_ms, reported as an extra field) and tearing
%% it down are not timed.
%%
%% Parameters: rings="10000x1000,1000000x10" (comma-separated AxL list), or
%% actors=A laps=L for a single variant (overrides rings).
-module(sb_ring).
-export([params/1, run/1]).

params(full) -> #{rings => "10000x1000,1000000x10", actors => 0, laps => 0};
params(quick) -> #{rings => "1000x100,10000x10", actors => 0, laps => 0}.

run(#{actors := A, laps := L}) when A > 0, L > 0 ->
    ring(A, L);
run(#{actors := 0, laps := 0, rings := Rings}) ->
    Variants = [parse_variant(V) || V <- string:lexemes(Rings, ",")],
    lists:foreach(fun({A, L}) -> ring(A, L) end, Variants);
run(_) ->
    throw({bench_error, "ring: give both actors and laps (> 0), or rings=AxL,..."}).

parse_variant(V) ->
    case string:lexemes(string:trim(V), "x") of
        [A, L] -> {list_to_integer(A), list_to_integer(L)};
        _ -> throw({bench_error, "bad ring variant " ++ V})
    end.

ring(A, L) when A >= 1, L >= 1 ->
    sb_bench:need_processes(A),
    Variant = integer_to_list(A) ++ "x" ++ integer_to_list(L),
    sb_util:wait_quiet(),
    Base = erlang:system_info(process_count),
    Self = self(),
    T0 = sb_util:now_us(),
    Pids = [spawn(fun() -> await_next(Self) end) || _ <- lists:seq(1, A)],
    link_ring(Pids, hd(Pids)),
    sb_util:wait_quiet(),
    SetupMs = sb_util:ms_since(T0),
    Hops = A * L,
    T1 = sb_util:now_ns(),
    hd(Pids) ! Hops,
    receive ring_done -> ok end,
    Ns = (sb_util:now_ns() - T1) / Hops,
    sb_util:kill_all(Pids),
    sb_util:wait_process_count(Base),
    sb_bench:emit(Variant, ns_per_hop, ns, Ns, lower,
                  [{hops, Hops}, {setup_ms, SetupMs}]).

link_ring([P], First) -> P ! {next, First}, ok;
link_ring([P, Q | Rest], First) -> P ! {next, Q}, link_ring([Q | Rest], First).

await_next(Driver) ->
    receive {next, Next} -> node_loop(Next, Driver) end.

%% The token is the number of hops still to make. The process that receives
%% 0 has made the ring go round A*L times.
node_loop(Next, Driver) ->
    receive
        0 -> Driver ! ring_done, node_loop(Next, Driver);
        H -> Next ! H - 1, node_loop(Next, Driver)
    end.
