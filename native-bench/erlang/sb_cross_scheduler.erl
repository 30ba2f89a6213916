%% cross_scheduler: throughput of small messages between processes on
%% different schedulers.
%%
%% Pairs sender/receiver pairs; each sender streams Msgs small messages
%% ({m, I}) to its receiver with flow control: the receiver acks every Window
%% messages and a sender keeps at most two windows in flight, so mailboxes stay
%% bounded. msgs_per_s = Pairs * Msgs / (release -> last sender saw its last ack);
%% acks are not counted.
%%
%% Placement: with +S N>1 the sender of pair i is bound to scheduler
%% 1 + (i rem N) and its receiver to the next scheduler, with the undocumented
%% spawn_opt option {scheduler, Id} (OTP 25 honours it; bound processes are
%% never migrated). Each process checks erlang:system_info(scheduler_id) when
%% it starts and finishes; "placement_ok" is true if all were where intended.
%% With +S 1 every pair necessarily shares the one scheduler, so the figure is
%% the same-scheduler throughput; the "note" field says so.
-module(sb_cross_scheduler).
-export([params/1, run/1]).

params(full) -> #{pairs => 100, msgs => 100000, window => 100};
params(quick) -> #{pairs => 10, msgs => 10000, window => 100}.

run(#{pairs := P, msgs := M, window := W}) when P >= 1, M >= 1, W >= 1 ->
    S = erlang:system_info(schedulers_online),
    Bound = S > 1 andalso sb_util:can_bind(),
    Note = case {S, Bound} of
               {1, _} -> "schedulers=1: sender and receiver share the only scheduler; same-scheduler figure";
               {_, true} -> "sender and receiver bound to different schedulers (spawn_opt {scheduler, Id})";
               {_, false} -> "scheduler binding unavailable: processes unbound, placement up to the BEAM"
           end,
    Variant = integer_to_list(P) ++ "pairs",
    Self = self(),
    Places = [{(I rem S) + 1, ((I + 1) rem S) + 1} || I <- lists:seq(0, P - 1)],
    Senders = [begin
                   R = spawn_on(Bound, RS, fun() -> receiver(Self, RS, M, W) end),
                   Snd = spawn_on(Bound, SS, fun() -> receive go -> ok end, sender(Self, SS, R, M, W) end),
                   R ! {sender, Snd},
                   Snd
               end || {SS, RS} <- Places],
    sb_util:wait_quiet(),
    T0 = sb_util:now_ns(),
    lists:foreach(fun(Pid) -> Pid ! go end, Senders),
    Oks = sb_util:collect_done(placed, 2 * P),
    Ns = sb_util:now_ns() - T0,
    PlacementOk = (not Bound) orelse lists:all(fun(X) -> X end, Oks),
    Total = P * M,
    sb_bench:emit(Variant, msgs_per_s, 'msgs/s', Total / (Ns / 1.0e9), higher,
                  [{messages, Total}, {ms, Ns / 1.0e6}, {bound, Bound},
                   {placement_ok, PlacementOk}, {note, Note}]).

spawn_on(true, Sched, F) -> sb_util:spawn_bound(Sched, F);
spawn_on(false, _Sched, F) -> spawn(F).

on(Sched) -> erlang:system_info(scheduler_id) =:= Sched.

sender(Driver, Sched, R, M, W) ->
    Start = on(Sched),
    stream(R, M, W, 0),
    Driver ! {placed, Start andalso on(Sched)}.

%% Left messages still to send, Out windows in flight.
stream(_R, 0, _W, 0) -> ok;
stream(R, 0, W, Out) -> receive ack -> stream(R, 0, W, Out - 1) end;
stream(R, Left, W, Out) when Out < 2 ->
    N = min(W, Left),
    send(R, N),
    stream(R, Left - N, W, Out + 1);
stream(R, Left, W, Out) ->
    receive ack -> stream(R, Left, W, Out - 1) end.

send(_R, 0) -> ok;
send(R, N) -> R ! {m, N}, send(R, N - 1).

receiver(Driver, Sched, M, W) ->
    Start = on(Sched),
    From = receive {sender, S} -> S end,
    ok = recv(M, W, 0, From),
    Driver ! {placed, Start andalso on(Sched)}.

recv(0, _W, _InWin, _From) -> ok;
recv(Left, W, InWin, From) ->
    receive {m, _} -> ok end,
    In = InWin + 1,
    case In =:= W orelse Left =:= 1 of
        true -> ack(From), recv(Left - 1, W, 0, From);
        false -> recv(Left - 1, W, In, From)
    end.

ack(From) -> From ! ack.
