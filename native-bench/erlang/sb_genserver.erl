%% genserver: synchronous gen_server:call/2 to a counter (sb_counter).
%%
%% Variant "1client": one client process does Calls calls; ns_per_call timed
%%   inside the client.
%% Variant "<C>clients": C clients each do ClientCalls calls against the same
%%   server, released at once.
%%   ns_per_call             total elapsed (release -> last client done) / total calls
%%   ns_per_call_per_client  mean over clients of (client's own elapsed / its calls),
%%                           i.e. the latency one client sees under contention
%% Both variants check the counter's final value.
-module(sb_genserver).
-export([params/1, run/1]).

params(full) -> #{calls => 1000000, clients => 100, client_calls => 10000};
params(quick) -> #{calls => 20000, clients => 100, client_calls => 200}.

run(#{calls := Calls, clients := C, client_calls := CC}) ->
    one_client(Calls),
    many_clients(C, CC).

one_client(Calls) ->
    {ok, Server} = sb_counter:start(),
    Self = self(),
    spawn(fun() ->
                  T0 = sb_util:now_ns(),
                  calls(Server, Calls),
                  Self ! {client_done, sb_util:now_ns() - T0}
          end),
    Ns = receive {client_done, N} -> N end,
    check(Server, Calls),
    sb_bench:emit("1client", ns_per_call, ns, Ns / Calls, lower, [{calls, Calls}]).

many_clients(C, CC) ->
    Variant = integer_to_list(C) ++ "clients",
    {ok, Server} = sb_counter:start(),
    Self = self(),
    Clients = [spawn(fun() ->
                             receive go -> ok end,
                             T0 = sb_util:now_ns(),
                             calls(Server, CC),
                             Self ! {client_done, sb_util:now_ns() - T0}
                     end) || _ <- lists:seq(1, C)],
    sb_util:wait_quiet(),
    T0 = sb_util:now_ns(),
    lists:foreach(fun(P) -> P ! go end, Clients),
    PerClient = sb_util:collect_done(client_done, C),
    Ns = sb_util:now_ns() - T0,
    Total = C * CC,
    check(Server, Total),
    sb_bench:emit(Variant, ns_per_call, ns, Ns / Total, lower, [{calls, Total}]),
    sb_bench:emit(Variant, ns_per_call_per_client, ns, sb_util:mean([E / CC || E <- PerClient]), lower,
                  [{calls_per_client, CC}]).

calls(_Server, 0) -> ok;
calls(Server, N) ->
    _ = sb_counter:incr(Server),
    calls(Server, N - 1).

check(Server, Expected) ->
    Got = gen_server:call(Server, get),
    sb_counter:stop(Server),
    case Got =:= Expected of
        true -> ok;
        false -> throw({bench_error, io_lib:format("counter is ~b, expected ~b", [Got, Expected])})
    end.
