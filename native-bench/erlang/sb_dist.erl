%% dist: two BEAM nodes (separate OS processes, same machine, the real epmd), node A
%% measuring against node B (sb_dist_peer.erl) over their one distribution connection.
%%
%% Run as node A through the common driver:
%%   erl -noshell -name a@127.0.0.1 -setcookie C -start_epmd false +S <n> -pa <ebin> \
%%       -run sb_bench main dist peer=b@127.0.0.1 [key=value ...]
%% (native-bench/dist-beam.ts starts B first, waits for its ready line, then starts A.)
%%
%% Steps, each timed on A's clock:
%%   1. connect to B; resolve the sink's and the echo's pids ({whois, self()}).
%%   2. small: one process sends {expect, N, self()} then N x {msg, I} to the sink pid; the
%%      sink counts them and answers {sink_done, N, Ns}.
%%        msgs_per_s       N / (A's first send -> A's receipt of sink_done)
%%        extra sink_msgs_per_s: N / (B's first arrival -> B's last arrival)
%%   3. echo: N sequential round trips {self(), {echo, I}} -> {echo, I}; p50/p99 in us.
%%   4. call: N sequential gen_server:call({sb_dist_server, B}, incr); p50/p99 in us;
%%      the final count is checked.
%%   5. big: a pinger sends {self(), {ping, Seq}} to the echo every ping_ms (the next one
%%      ping_ms after the previous was sent, or at once when that one came back later),
%%      recording (send time, round trip). First idle_ms of idle pings, then big_count
%%      times one big_mib MiB binary {big, self(), Bin} to the sink, each acknowledged
%%      {got_big, Size}. Pings sent inside a transfer are "busy", before the first "idle".
%%        mib_per_s        big_mib * big_count / total transfer time
%%        ping_idle_{p50,p99,max}, ping_busy_{p50,p99,max}   ms
-module(sb_dist).
-export([params/1, run/1]).

params(full) ->
    #{peer => "", messages => 1000000, echoes => 100000, calls => 100000,
      big_mib => 200, big_count => 3, ping_ms => 10, idle_ms => 1000};
params(quick) ->
    #{peer => "", messages => 10000, echoes => 1000, calls => 1000,
      big_mib => 20, big_count => 1, ping_ms => 10, idle_ms => 200}.

run(#{peer := PeerStr, messages := Msgs, echoes := Echoes, calls := Calls,
      big_mib := BigMiB, big_count := BigCount, ping_ms := PingMs, idle_ms := IdleMs}) ->
    node() =/= nonode@nohost orelse throw({bench_error, "dist: node A was started without -name"}),
    PeerStr =/= "" orelse throw({bench_error, "dist: parameter peer (node B's name) is required"}),
    Peer = list_to_atom(PeerStr),
    net_kernel:connect_node(Peer) orelse
        throw({bench_error, "dist: cannot connect to " ++ PeerStr}),
    Sink = whois({sb_dist_sink, Peer}, sink),
    Echo = whois({sb_dist_echo, Peer}, echo),
    small(Sink, Msgs),
    echo(Echo, Echoes),
    call({sb_dist_server, Peer}, Calls),
    big(Sink, Echo, BigMiB, BigCount, PingMs, IdleMs).

%% Both servers answer {whois, From} with {Tag, Pid}: the sends below go to the pid.
whois(Name, Tag) ->
    Name ! {whois, self()},
    receive {Tag, Pid} when is_pid(Pid) -> Pid
    after 10000 -> throw({bench_error, io_lib:format("dist: no answer from ~p", [Name])})
    end.

%% ---------------------------------------------------------------- 2. small messages

small(Sink, N) ->
    _ = small_round(Sink, min(10000, max(1, N div 10))),   % warm-up
    {Ns, SinkNs} = small_round(Sink, N),
    sb_bench:emit("small_" ++ integer_to_list(N), msgs_per_s, "msgs/s", N / (Ns / 1.0e9), higher,
                  [{messages, N}, {sink_msgs_per_s, N / (max(1, SinkNs) / 1.0e9)}]).

small_round(Sink, N) ->
    T0 = sb_util:now_ns(),
    Sink ! {expect, N, self()},
    send_small(Sink, 1, N),
    receive {sink_done, N, SinkNs} -> {sb_util:now_ns() - T0, SinkNs}
    after 600000 -> throw({bench_error, "dist: the sink never counted every message"})
    end.

send_small(_Sink, I, N) when I > N -> ok;
send_small(Sink, I, N) -> Sink ! {msg, I}, send_small(Sink, I + 1, N).

%% ---------------------------------------------------------------- 3. echo

echo(Echo, N) ->
    _ = echo_loop(Echo, min(1000, N), []),                   % warm-up
    Us = echo_loop(Echo, N, []),
    [P50, P99] = sb_util:percentiles(Us, [0.5, 0.99]),
    V = "echo_" ++ integer_to_list(N),
    sb_bench:emit(V, rtt_p50, us, P50, lower, [{samples, N}]),
    sb_bench:emit(V, rtt_p99, us, P99, lower, [{samples, N}]).

echo_loop(_Echo, 0, Acc) -> Acc;
echo_loop(Echo, I, Acc) ->
    T0 = sb_util:now_ns(),
    Echo ! {self(), {echo, I}},
    receive {echo, I} -> ok end,
    echo_loop(Echo, I - 1, [(sb_util:now_ns() - T0) / 1000 | Acc]).

%% ---------------------------------------------------------------- 4. gen_server:call

call(Server, N) ->
    Base = gen_server:call(Server, get),
    _ = call_loop(Server, min(1000, N), []),                 % warm-up
    Us = call_loop(Server, N, []),
    Expected = Base + min(1000, N) + N,
    case gen_server:call(Server, get) of
        Expected -> ok;
        Got -> throw({bench_error, io_lib:format("dist: counter is ~p, expected ~p", [Got, Expected])})
    end,
    [P50, P99] = sb_util:percentiles(Us, [0.5, 0.99]),
    V = "call_" ++ integer_to_list(N),
    sb_bench:emit(V, call_p50, us, P50, lower, [{samples, N}]),
    sb_bench:emit(V, call_p99, us, P99, lower, [{samples, N}]).

call_loop(_Server, 0, Acc) -> Acc;
call_loop(Server, I, Acc) ->
    T0 = sb_util:now_ns(),
    _ = gen_server:call(Server, incr),
    call_loop(Server, I - 1, [(sb_util:now_ns() - T0) / 1000 | Acc]).

%% ---------------------------------------------------------------- 5. big binary + ping

big(Sink, Echo, MiB, Count, PingMs, IdleMs) ->
    Bin = binary:copy(<<"0123456789abcdef">>, MiB * 65536),
    Size = byte_size(Bin),
    Self = self(),
    Pinger = spawn_link(fun() -> pinger(Echo, PingMs * 1000, 0, []) end),
    receive after IdleMs -> ok end,
    Windows = [transfer(Sink, Self, Bin, Size) || _ <- lists:seq(1, Count)],
    Pinger ! {samples, Self},
    Samples = receive {samples, S} -> S after 60000 -> throw({bench_error, "dist: the pinger never answered"}) end,
    FirstStart = element(1, hd(Windows)),
    Idle = [Rtt || {Sent, Rtt} <- Samples, Sent < FirstStart],
    Busy = [Rtt || {Sent, Rtt} <- Samples, lists:any(fun({A, B}) -> Sent >= A andalso Sent =< B end, Windows)],
    TotalUs = lists:sum([B - A || {A, B} <- Windows]),
    V = "big_" ++ integer_to_list(MiB) ++ "MiB",
    sb_bench:emit(V, mib_per_s, "MiB/s", MiB * Count / (TotalUs / 1.0e6), higher,
                  [{transfers, Count}, {bytes, Size}]),
    ping_metrics(V, ping_idle, Idle),
    ping_metrics(V, ping_busy, Busy).

transfer(Sink, Self, Bin, Size) ->
    T0 = sb_util:now_us(),
    Sink ! {big, Self, Bin},
    receive {got_big, Size} -> {T0, sb_util:now_us()}
    after 600000 -> throw({bench_error, "dist: the big binary was never acknowledged"})
    end.

%% No figure when no ping fell in the phase (a transfer shorter than one ping period).
ping_metrics(_V, _Prefix, []) -> ok;
ping_metrics(V, Prefix, Ms) ->
    [P50, P99, Max] = sb_util:percentiles(Ms, [0.5, 0.99, 1.0]),
    P = atom_to_list(Prefix),
    N = length(Ms),
    sb_bench:emit(V, P ++ "_p50", ms, P50, lower, [{samples, N}]),
    sb_bench:emit(V, P ++ "_p99", ms, P99, lower, [{samples, N}]),
    sb_bench:emit(V, P ++ "_max", ms, Max, lower, [{samples, N}]).

%% Samples are {send time (us, this node's clock), round trip (ms)}.
pinger(Echo, PeriodUs, Seq, Acc) ->
    Sent = sb_util:now_us(),
    Echo ! {self(), {ping, Seq}},
    receive {ping, Seq} -> ok end,
    Acc1 = [{Sent, (sb_util:now_us() - Sent) / 1000} | Acc],
    Wait = max(0, (Sent + PeriodUs - sb_util:now_us()) div 1000),
    receive
        {samples, From} -> From ! {samples, lists:reverse(Acc1)}
    after Wait -> pinger(Echo, PeriodUs, Seq + 1, Acc1)
    end.
