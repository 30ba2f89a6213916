%% fan-in: Senders processes each send Msgs small messages ({msg, I}) to one
%% receiver, which counts them. All senders are spawned first, blocked, then
%% released at once; msgs_per_s = Senders * Msgs / (release -> receiver has
%% counted them all).
%%
%% The receiver uses the default message_queue_data (on_heap); set
%% off_heap=1 to use {message_queue_data, off_heap} (variant gets "_offheap").
-module(sb_fanin).
-export([params/1, run/1]).

params(full) -> #{senders => 1000, msgs => 10000, off_heap => 0};
params(quick) -> #{senders => 100, msgs => 2000, off_heap => 0}.

run(#{senders := S, msgs := M, off_heap := OffHeap}) ->
    Variant = integer_to_list(S) ++ "x" ++ integer_to_list(M)
        ++ case OffHeap of 0 -> ""; _ -> "_offheap" end,
    Self = self(),
    Total = S * M,
    Mqd = case OffHeap of 0 -> on_heap; _ -> off_heap end,
    Receiver = spawn_opt(fun() -> receive go -> ok end, count(Total), Self ! received end,
                         [{message_queue_data, Mqd}]),
    Senders = [spawn(fun() -> receive go -> ok end, send(Receiver, M) end) || _ <- lists:seq(1, S)],
    sb_util:wait_quiet(),
    T0 = sb_util:now_ns(),
    Receiver ! go,
    lists:foreach(fun(P) -> P ! go end, Senders),
    receive received -> ok end,
    Ns = sb_util:now_ns() - T0,
    sb_bench:emit(Variant, msgs_per_s, 'msgs/s', Total / (Ns / 1.0e9), higher,
                  [{messages, Total}, {ms, Ns / 1.0e6}, {message_queue_data, Mqd}]).

send(_To, 0) -> ok;
send(To, N) -> To ! {msg, N}, send(To, N - 1).

count(0) -> ok;
count(N) -> receive {msg, _} -> count(N - 1) end.
