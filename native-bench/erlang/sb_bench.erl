%% Driver for the BEAM half of the Switchboard benchmark suite.
%%
%% Usage:
%%   erl -noshell +S <n> +P 4194304 -pa <ebin> -run sb_bench main <workload> [key=value ...]
%%
%% Prints exactly one JSON object per line on stdout, one per metric:
%%   {"workload":"ring","variant":"10000x1000","metric":"ns_per_hop","unit":"ns",
%%    "value":452.1,"better":"lower","schedulers":1, ...extra fields}
%% then halts with status 0. On failure it prints one line with an "error" field
%% and halts non-zero (1 = workload failed, 2 = bad arguments, 3 = watchdog timeout).
%% Logger output (crash reports) is redirected to stderr so stdout stays JSON.
%%
%% Common parameters (every workload):
%%   preset=full|quick   default sizes (quick finishes in a second or two)
%%   timeout_ms=N        watchdog: halt with an error after N ms (default 600000)
%% Every other key must be one of the workload's own parameters (see params/1
%% in each sb_<workload>.erl); -run passes strings, they are converted to the
%% type of the default (integers may contain '_' separators).
-module(sb_bench).

-export([main/0, main/1, emit/5, emit/6, need_processes/1, workloads/0]).

-define(DEFAULT_TIMEOUT_MS, 600000).

workloads() ->
    [{"spawn", sb_spawn},
     {"skynet", sb_skynet},
     {"ring", sb_ring},
     {"pingpong", sb_pingpong},
     {"fanin", sb_fanin},
     {"timers", sb_timers},
     {"genserver", sb_genserver},
     {"fairness", sb_fairness},
     {"cross_scheduler", sb_cross_scheduler},
     {"dist", sb_dist}].   % two nodes: sb_dist.erl on A, sb_dist_peer.erl on B (native-bench/dist-beam.ts)

aliases() ->
    [{"ping-pong", "pingpong"}, {"ping_pong", "pingpong"},
     {"fan-in", "fanin"}, {"fan_in", "fanin"},
     {"gen_server", "genserver"}, {"genserver-call", "genserver"}, {"genserver_call", "genserver"},
     {"cross-scheduler", "cross_scheduler"}, {"xsched", "cross_scheduler"}].

main() -> main([]).

main([]) ->
    usage_error("missing workload; one of: " ++ string:join([N || {N, _} <- workloads()], ", "));
main([Name0 | Args]) ->
    stderr_logger(),
    Name = proplists:get_value(Name0, aliases(), Name0),
    persistent_term:put({?MODULE, workload}, Name),
    Mod = case lists:keyfind(Name, 1, workloads()) of
              {_, M} -> M;
              false -> usage_error("unknown workload " ++ Name0)
          end,
    KVs = [split_kv(A) || A <- Args],
    Preset = case proplists:get_value("preset", KVs, "full") of
                 "full" -> full;
                 "quick" -> quick;
                 Other -> usage_error("preset must be full or quick, not " ++ Other)
             end,
    Defaults = Mod:params(Preset),
    Timeout = case proplists:get_value("timeout_ms", KVs) of
                  undefined -> ?DEFAULT_TIMEOUT_MS;
                  T -> to_int("timeout_ms", T)
              end,
    Params = lists:foldl(fun({K, V}, Acc) -> set_param(Defaults, K, V, Acc) end,
                         Defaults, [KV || {K, _} = KV <- KVs, K =/= "preset", K =/= "timeout_ms"]),
    start_watchdog(Timeout),
    try
        Mod:run(Params),
        halt_ok()
    catch
        throw:{bench_error, Msg} ->
            fail(1, Msg);
        Class:Reason:Stack ->
            fail(1, io_lib:format("~p:~P at ~P", [Class, Reason, 30, Stack, 20]))
    end.

%% ---------------------------------------------------------------- output

emit(Variant, Metric, Unit, Value, Better) ->
    emit(Variant, Metric, Unit, Value, Better, []).

%% Better is lower | higher | equal (equal: a correctness check).
emit(Variant, Metric, Unit, Value, Better, Extra) when is_number(Value) ->
    Fields = [{workload, workload_name()},
              {variant, Variant},
              {metric, Metric},
              {unit, Unit},
              {value, Value},
              {better, Better},
              {schedulers, erlang:system_info(schedulers_online)}
              | Extra],
    print_line(json_object(Fields)).

workload_name() ->
    persistent_term:get({?MODULE, workload}, "unknown").

print_line(IoData) ->
    ok = io:put_chars(standard_io, [IoData, $\n]).

json_object(Fields) ->
    [${, lists:join($,, [[json_string(to_str(K)), $:, json_value(V)] || {K, V} <- Fields]), $}].

json_value(true) -> "true";
json_value(false) -> "false";
json_value(null) -> "null";
json_value(V) when is_integer(V) -> integer_to_list(V);
json_value(V) when is_float(V) -> float_to_list(V, [{decimals, 3}, compact]);
json_value(V) when is_atom(V) -> json_string(atom_to_list(V));
json_value(V) when is_binary(V) -> json_string(unicode:characters_to_list(V));
json_value(V) when is_list(V) -> json_string(lists:flatten(V)).

to_str(A) when is_atom(A) -> atom_to_list(A);
to_str(S) -> lists:flatten(S).

json_string(S) ->
    [$", [esc(C) || C <- S], $"].

esc($") -> "\\\"";
esc($\\) -> "\\\\";
esc($\n) -> "\\n";
esc($\r) -> "\\r";
esc($\t) -> "\\t";
esc(C) when C < 16#20 -> io_lib:format("\\u~4.16.0b", [C]);
esc(C) when C > 16#7f -> unicode:characters_to_binary([C]);
esc(C) -> C.

%% ---------------------------------------------------------------- errors / halting

halt_ok() ->
    erlang:halt(0).

fail(Status, Msg) ->
    print_line(json_object([{workload, workload_name()},
                            {error, lists:flatten(Msg)},
                            {schedulers, erlang:system_info(schedulers_online)}])),
    io:put_chars(standard_error, [lists:flatten(Msg), $\n]),
    erlang:halt(Status).

usage_error(Msg) ->
    fail(2, Msg).

%% Throw a workload-level error from inside a run/1 (becomes an "error" line).
need_processes(N) ->
    Limit = erlang:system_info(process_limit),
    Live = erlang:system_info(process_count),
    case Live + N + 100 > Limit of
        true ->
            throw({bench_error,
                   io_lib:format("needs ~b processes but process_limit is ~b; start erl with +P ~b",
                                 [N, Limit, N * 2])});
        false -> ok
    end.

start_watchdog(TimeoutMs) ->
    spawn_opt(fun() ->
                      receive
                      after TimeoutMs ->
                              fail(3, io_lib:format("watchdog: timeout after ~b ms", [TimeoutMs]))
                      end
              end, [{priority, max}]).

stderr_logger() ->
    %% The default logger handler writes to standard_io; reports from crashed
    %% processes would corrupt the JSON stream, so send them to stderr.
    _ = logger:remove_handler(default),
    _ = logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}),
    ok.

%% ---------------------------------------------------------------- parameters

split_kv(Arg) ->
    case string:split(Arg, "=") of
        [K, V] when K =/= "" -> {K, V};
        _ -> usage_error("bad argument " ++ Arg ++ " (expected key=value)")
    end.

set_param(Defaults, K, V, Acc) ->
    Key = try list_to_existing_atom(K) catch error:badarg -> '$unknown' end,
    case maps:find(Key, Defaults) of
        {ok, D} when is_integer(D) -> Acc#{Key => to_int(K, V)};
        {ok, D} when is_float(D) -> Acc#{Key => to_float(K, V)};
        {ok, _} -> Acc#{Key => V};
        error ->
            usage_error(io_lib:format("unknown parameter ~s; known: ~s",
                                      [K, string:join([atom_to_list(A) || A <- maps:keys(Defaults)]
                                                      ++ ["preset", "timeout_ms"], ", ")]))
    end.

to_int(K, V) ->
    try list_to_integer([C || C <- V, C =/= $_])
    catch error:badarg -> usage_error("parameter " ++ K ++ " must be an integer, not " ++ V)
    end.

to_float(K, V) ->
    S = [C || C <- V, C =/= $_],
    try list_to_float(S)
    catch error:badarg ->
            try float(list_to_integer(S))
            catch error:badarg -> usage_error("parameter " ++ K ++ " must be a number, not " ++ V)
            end
    end.
