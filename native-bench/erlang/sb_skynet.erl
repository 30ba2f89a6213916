%% skynet: a tree of processes, Branch children per node, Leaves leaves; each
%% leaf sends its number to its parent, each inner node sends the sum of its
%% children to its own parent. The root's sum must be Leaves*(Leaves-1)/2
%% (499999500000 for 1,000,000 leaves).
%%
%% Metrics: ms (root spawned -> root sum received) and check (the sum; the run
%% fails after printing it if it differs from the closed form).
%% Leaves need not be a power of Branch: a range is split into Branch nearly
%% equal, non-empty parts.
-module(sb_skynet).
-export([params/1, run/1]).

params(full) -> #{leaves => 1000000, branch => 10};
params(quick) -> #{leaves => 10000, branch => 10}.

run(#{leaves := Leaves, branch := Branch}) when Leaves >= 1, Branch >= 2 ->
    sb_bench:need_processes(Leaves + Leaves div (Branch - 1) + 1),
    Variant = integer_to_list(Leaves) ++ "x" ++ integer_to_list(Branch),
    sb_util:wait_quiet(),
    Base = erlang:system_info(process_count),
    Self = self(),
    T0 = sb_util:now_us(),
    spawn(fun() -> skynet(Self, 0, Leaves, Branch) end),
    Sum = receive S -> S end,
    Ms = sb_util:ms_since(T0),
    sb_util:wait_process_count(Base),
    Expected = Leaves * (Leaves - 1) div 2,
    sb_bench:emit(Variant, ms, ms, Ms, lower, [{processes, tree_size(Leaves, Branch)}]),
    sb_bench:emit(Variant, check, sum, Sum, equal, [{expected, Expected}]),
    case Sum =:= Expected of
        true -> ok;
        false -> throw({bench_error, io_lib:format("skynet sum ~b, expected ~b", [Sum, Expected])})
    end;
run(_) ->
    throw({bench_error, "skynet needs leaves >= 1 and branch >= 2"}).

skynet(Parent, Num, 1, _Branch) ->
    Parent ! Num;
skynet(Parent, Num, Size, Branch) ->
    Self = self(),
    Parts = split(Num, Size, Branch),
    lists:foreach(fun({N, S}) -> spawn(fun() -> skynet(Self, N, S, Branch) end) end, Parts),
    Parent ! collect(length(Parts), 0).

collect(0, Sum) -> Sum;
collect(K, Sum) ->
    receive V -> collect(K - 1, Sum + V) end.

%% Split [Num, Num+Size) into at most Branch non-empty consecutive ranges.
split(Num, Size, Branch) ->
    Base = Size div Branch,
    Rem = Size rem Branch,
    split(Num, Base, Rem, 0, Branch, []).

split(_Num, _Base, _Rem, I, Branch, Acc) when I =:= Branch -> lists:reverse(Acc);
split(Num, Base, Rem, I, Branch, Acc) ->
    S = Base + (case I < Rem of true -> 1; false -> 0 end),
    case S of
        0 -> lists:reverse(Acc);
        _ -> split(Num + S, Base, Rem, I + 1, Branch, [{Num, S} | Acc])
    end.

%% Number of processes in the tree (for the report).
tree_size(1, _) -> 1;
tree_size(Size, Branch) ->
    Base = Size div Branch,
    Rem = Size rem Branch,
    Bigger = case Rem of 0 -> 0; _ -> Rem * tree_size(Base + 1, Branch) end,
    Smaller = case Base of 0 -> 0; _ -> (Branch - Rem) * tree_size(Base, Branch) end,
    1 + Bigger + Smaller.
