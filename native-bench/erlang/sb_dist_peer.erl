%% Node B of the dist workload: the receiving side, in its own OS process.
%%
%% Usage (native-bench/dist-beam.ts starts it; the real epmd must already run):
%%   erl -noshell -name b@127.0.0.1 -setcookie C -start_epmd false +S <n> -pa <ebin> \
%%       -run sb_dist_peer main timeout_ms=N
%%
%% Protocol:
%%   1. Start and register the three servers node A talks to (sb_dist.erl):
%%        sb_dist_sink    counts small messages, acknowledges big binaries
%%        sb_dist_echo    {From, Msg} -> From ! Msg; {whois, From} -> From ! {echo, self()}
%%        sb_dist_server  a gen_server: call incr -> the count after incrementing
%%   2. Print one line {"ready":true,"node":"b@127.0.0.1"} on stdout.
%%   3. Run until node A has connected and gone again (nodedown), stdin reaches its end
%%      (the bench that holds the pipe is gone), or the watchdog (timeout_ms) fires, then
%%      halt. So B never outlives the run that started it; the bench also stops it when
%%      A is done.
%%
%% Sink messages (node A sends them from one process, so they arrive in this order):
%%   {whois, From}            -> From ! {sink, self()}   (A then sends to the pid)
%%   {expect, N, From}        count the next N {msg, I}; on the Nth: From ! {sink_done, N, Ns}
%%                            with Ns = first -> last arrival, on B's clock
%%   {msg, I}                 counted
%%   {big, From, Bin}         -> From ! {got_big, byte_size(Bin)}
-module(sb_dist_peer).
-behaviour(gen_server).

-export([main/1]).
-export([init/1, handle_call/3, handle_cast/2]).

main(Args) ->
    Timeout = timeout_arg(Args),
    case node() of
        nonode@nohost -> fail("node B was started without -name");
        _ -> ok
    end,
    register(sb_dist_sink, spawn(fun() -> sink_idle() end)),
    register(sb_dist_echo, spawn(fun echo/0)),
    {ok, _} = gen_server:start({local, sb_dist_server}, ?MODULE, [], []),
    ok = net_kernel:monitor_nodes(true),
    erlang:send_after(Timeout, self(), watchdog),
    Main = self(),
    spawn(fun() -> wait_eof(Main) end),
    io:put_chars(standard_io, ["{\"ready\":true,\"node\":\"", atom_to_list(node()), "\"}\n"]),
    wait_for_a(false).

wait_for_a(Seen) ->
    receive
        {nodeup, _} -> wait_for_a(true);
        {nodedown, _} when Seen -> erlang:halt(0);
        {nodedown, _} -> wait_for_a(Seen);
        stdin_eof -> erlang:halt(0);
        watchdog -> fail("node B: watchdog fired")
    end.

wait_eof(Main) ->
    case io:get_line(standard_io, "") of
        eof -> Main ! stdin_eof;
        {error, _} -> Main ! stdin_eof;
        _ -> wait_eof(Main)
    end.

timeout_arg([]) -> 600000;
timeout_arg(["timeout_ms=" ++ V | _]) -> list_to_integer(V);
timeout_arg([_ | T]) -> timeout_arg(T).

fail(Msg) ->
    io:put_chars(standard_io, ["{\"error\":\"", Msg, "\"}\n"]),
    erlang:halt(1).

%% ---------------------------------------------------------------- sink

sink_idle() ->
    receive
        {whois, From} -> From ! {sink, self()}, sink_idle();
        {expect, N, From} -> sink_first(N, From);
        {msg, _} -> sink_idle();
        {big, From, Bin} -> From ! {got_big, byte_size(Bin)}, sink_idle()
    end.

%% The first counted message starts B's clock.
sink_first(N, From) ->
    receive
        {msg, _} ->
            T0 = erlang:monotonic_time(nanosecond),
            sink_count(N - 1, N, From, T0)
    end.

sink_count(0, N, From, T0) ->
    From ! {sink_done, N, erlang:monotonic_time(nanosecond) - T0},
    sink_idle();
sink_count(Left, N, From, T0) ->
    receive
        {msg, _} -> sink_count(Left - 1, N, From, T0)
    end.

%% ---------------------------------------------------------------- echo

echo() ->
    receive
        {whois, From} -> From ! {echo, self()}, echo();
        {From, Msg} -> From ! Msg, echo()
    end.

%% ---------------------------------------------------------------- gen_server

init([]) -> {ok, 0}.

handle_call(incr, _From, N) -> {reply, N + 1, N + 1};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(_Msg, N) -> {noreply, N}.
