%% A gen_server counter, the server side of the genserver workload.
-module(sb_counter).
-behaviour(gen_server).
-export([start/0, incr/1, stop/1]).
-export([init/1, handle_call/3, handle_cast/2]).

start() -> gen_server:start(?MODULE, 0, []).
incr(Pid) -> gen_server:call(Pid, incr).
stop(Pid) -> gen_server:stop(Pid).

init(N) -> {ok, N}.

handle_call(incr, _From, N) -> {reply, N + 1, N + 1};
handle_call(get, _From, N) -> {reply, N, N}.

handle_cast(_Msg, N) -> {noreply, N}.
