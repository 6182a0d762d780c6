"""The site's one statistical cell suppression: small counts in published tables.

An anonymous survey publishes counts: one question's answers (`suppress_distribution`)
or two questions crossed (`suppress_table`, with row, column and grand totals). A count
of fewer than k people could point at them, so it is hidden and shown as "<k" (primary
suppression). Zeros are shown: they describe nobody.

Hiding the small counts is not enough when totals are published: a row with one hidden
cell gives it away by subtraction, and subtler patterns do too (a hidden cell that is the
only link between two groups of hidden cells is fixed by the totals around it; a partner
of 0 cannot go lower, so it pins the cell it was meant to cover). So further entries are
hidden (complementary suppression), shown as "x", until no hidden value can be worked out
from what is shown.

How this is guaranteed. Write the table with its totals as an (r+1) by (c+1) array, the
totals in the last row and column. Flip the sign of the row and column totals (not the
grand total): every row and every column of that array then sums to zero, and those are
all the constraints a reader has. A change that keeps them is a sum of alternating ±1
cycles over entries, i.e. cycles in the bipartite graph with a node per line of the
array and an edge per entry. So a hidden entry cannot be derived exactly when it lies on
a cycle of hidden entries along which all of them can be shifted by one (up or down, as
the cycle alternates) and every one stays consistent with what the reader knows of it:
  - a "<k" entry stays within 1..k-1 (the reader knows zeros are shown);
  - an "x" entry stays at k or more (the reader knows every other value below k is
    marked "<k", so an "x" is 0 or at least k; a 0 can never move, so zeros are never
    used as complements).
Another table that the reader cannot tell apart from the real one then differs in that
entry. For each "<k" entry with no such cycle yet, the cheapest cycle through it is
found with a shortest-path search (already-hidden entries cost nothing, inner cells
cost their value, totals far more, so totals are hidden only when the inner cells
cannot do it); everything on it is hidden, and is itself protected by that same cycle.

When even hiding everything cannot protect a "<k" entry (four people giving four
different answers: four "<5" that sum to less than 5 are each 1), every entry becomes a
bare "x" (no claim at all about its size), which reveals nothing.

Known limit: a reader who reruns this algorithm on candidate tables learns that the
complements chosen were the cheapest ones. Tables small enough for that to matter are
mostly hidden anyway; the patterns are still deterministic (same input, same output).
"""

import heapq
from collections.abc import Sequence
from dataclasses import dataclass

# What a complement (or every entry of a fallen-back table) shows in place of its value.
HIDDEN_MARK = "x"


@dataclass(frozen=True)
class Count:
    """One published number: its value, and whether a reader may see it.

    `under` is k when the count is hidden for being small (shown "<k"); it is None for a
    visible count and for a complement (shown "x"). Render with `str(count)`; never
    show `value` of a hidden count.
    """

    value: int
    hidden: bool = False
    under: int | None = None

    def __str__(self) -> str:
        if not self.hidden:
            return str(self.value)
        return f"<{self.under}" if self.under is not None else HIDDEN_MARK


@dataclass(frozen=True)
class Table:
    """A cross-tabulation as published: inner cells, row and column totals, grand total."""

    cells: tuple[tuple[Count, ...], ...]
    row_totals: tuple[Count, ...]
    column_totals: tuple[Count, ...]
    total: Count


@dataclass(frozen=True)
class Distribution:
    """One question's answer counts as published, with the total when it is shown."""

    counts: tuple[Count, ...]
    total: Count | None


def suppress_table(cells: Sequence[Sequence[int]], *, k: int) -> Table:
    """Hide what must be hidden in a table of counts published with all its totals."""
    _check_k(k)
    rows = [list(row) for row in cells]
    if not rows or not rows[0] or any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("A table needs at least one row and one column, all rows equally long.")
    _check_counts([value for row in rows for value in row])
    grid = [[*row, sum(row)] for row in rows]
    grid.append([sum(column) for column in zip(*grid, strict=True)])
    hidden, small = _protect_grid(grid, k)
    marked = [
        [_count(value, (i, j), hidden, small, k) for j, value in enumerate(row)]
        for i, row in enumerate(grid)
    ]
    return Table(
        cells=tuple(tuple(row[:-1]) for row in marked[:-1]),
        row_totals=tuple(row[-1] for row in marked[:-1]),
        column_totals=tuple(marked[-1][:-1]),
        total=marked[-1][-1],
    )


def suppress_distribution(counts: Sequence[int], *, k: int, total: int | None) -> Distribution:
    """Hide what must be hidden in one question's counts.

    `total` is the number of respondents published with the counts, which must then add
    up to it (give "no answer" its own count): the total is a constraint, so complements
    are needed. None means no total is shown and the counts are independent (a
    multiple-choice question, where one person ticks several): only small counts hide.
    """
    _check_k(k)
    values = list(counts)
    _check_counts(values)
    if total is None:
        return Distribution(counts=tuple(_primary_only(value, k) for value in values), total=None)
    _check_counts([total])
    if sum(values) != total:
        raise ValueError(
            f"The counts add up to {sum(values)}, not to the total {total}; "
            "count the people who gave no answer as an answer of their own."
        )
    line = [*values, total]
    hidden, small = _protect_line(line, k)
    marked = [_count(value, (0, j), hidden, small, k) for j, value in enumerate(line)]
    return Distribution(counts=tuple(marked[:-1]), total=marked[-1])


# --- Internals ----------------------------------------------------------------------------

Entry = tuple[int, int]  # (row, column) in the table bordered by its totals


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a whole number of at least 1, not {k!r}.")
    if k == 2:
        # Zeros are shown, so "<2" would say "exactly 1": nothing would be hidden.
        raise ValueError("k = 2 cannot hide anything (a '<2' is a 1); use 1 or at least 3.")


def _check_counts(values: list[int]) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"Counts must be whole numbers of at least 0, not {value!r}.")


def _primary_only(value: int, k: int) -> Count:
    return Count(value, hidden=True, under=k) if 0 < value < k else Count(value)


def _count(value: int, entry: Entry, hidden: set[Entry], small: set[Entry], k: int) -> Count:
    if entry not in hidden:
        return Count(value)
    return Count(value, hidden=True, under=k if entry in small else None)


def _can_move(value: int, small: bool, step: int, k: int) -> bool:
    """Whether a hidden entry may read `value + step` to a reader who knows its mark."""
    new = value + step
    return 1 <= new < k if small else new >= k


def _protect_grid(grid: list[list[int]], k: int) -> tuple[set[Entry], set[Entry]]:
    """The hidden entries of the bordered table, and those of them shown as "<k"."""
    entries = [(i, j) for i in range(len(grid)) for j in range(len(grid[0]))]
    small = {(i, j) for i, j in entries if 0 < grid[i][j] < k}
    hidden = set(small)
    for entry in sorted(small):
        cycle = _cheapest_cycle(grid, entry, hidden, small, k)
        if cycle is None:
            return set(entries), set()
        hidden.update(cycle)
    return hidden, small


def _cheapest_cycle(
    grid: list[list[int]], entry: Entry, hidden: set[Entry], small: set[Entry], k: int
) -> list[Entry] | None:
    """The entries of the cheapest safe shift cycle through `entry`, trying both ways."""
    best: tuple[int, list[Entry]] | None = None
    for step in (1, -1):
        found = _shortest_cycle(grid, entry, step, hidden, small, k)
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return None if best is None else best[1]


def _shortest_cycle(
    grid: list[list[int]],
    entry: Entry,
    step: int,
    hidden: set[Entry],
    small: set[Entry],
    k: int,
) -> tuple[int, list[Entry]] | None:
    """Dijkstra from `entry`'s column node back to its row node.

    Nodes 0..rows-1 are the lines of the bordered table, rows..rows+columns-1 its
    columns. In the sign-flipped array an entry crossed from its row to its column
    shifts by +step and one crossed the other way by -step, so the direction of travel
    decides how each entry moves, and only entries that may move so are crossed.
    """
    rows, columns = len(grid), len(grid[0])
    inner = sum(value + 1 for row in grid[:-1] for value in row[:-1])

    def flip(i: int, j: int) -> int:  # row and column totals carry a minus sign
        return -1 if (i == rows - 1) != (j == columns - 1) else 1

    def movable(i: int, j: int, change: int) -> bool:
        return _can_move(grid[i][j], (i, j) in small, flip(i, j) * change, k)

    def cost(i: int, j: int) -> int:
        # Hide inner cells, the smallest first; a total only when no inner route exists,
        # and the grand total last of all.
        if (i, j) in hidden:
            return 0
        margins = (i == rows - 1) + (j == columns - 1)
        return margins * (inner + 1) + grid[i][j] + 1

    if not movable(*entry, step):
        return None
    source, target = rows + entry[1], entry[0]
    distance = {source: 0}
    previous: dict[int, tuple[int, Entry]] = {}
    queue = [(0, source)]
    while queue:
        reached, node = heapq.heappop(queue)
        if reached > distance[node]:
            continue
        if node == target:
            break
        if node >= rows:
            moves = [((i, node - rows), i, -step) for i in range(rows)]
        else:
            moves = [((node, j), rows + j, step) for j in range(columns)]
        for (i, j), onward, change in moves:
            if (i, j) == entry or not movable(i, j, change):
                continue
            further = reached + cost(i, j)
            if further < distance.get(onward, further + 1):
                distance[onward] = further
                previous[onward] = (node, (i, j))
                heapq.heappush(queue, (further, onward))
    if target not in distance:
        return None
    cycle, node = [entry], target
    while node != source:
        node, crossed = previous[node]
        cycle.append(crossed)
    return distance[target], cycle


def _protect_line(line: list[int], k: int) -> tuple[set[Entry], set[Entry]]:
    """`_protect_grid` for counts and their total: one constraint, so cycles are pairs.

    Two counts shift in opposite directions, a count and the total in the same one.
    """
    last = len(line) - 1
    entries = [(0, j) for j in range(len(line))]
    small = {(0, j) for j, value in enumerate(line) if 0 < value < k}
    hidden = set(small)
    outside = sum(value + 1 for value in line[:-1]) + 1

    def movable(j: int, change: int) -> bool:
        sign = -1 if j == last else 1
        return _can_move(line[j], (0, j) in small, sign * change, k)

    def cost(j: int) -> int:
        if (0, j) in hidden:
            return 0
        return line[j] + 1 + (outside if j == last else 0)

    for entry in sorted(small):
        j = entry[1]
        options = [
            (cost(other), other)
            for other in range(len(line))
            for step in (1, -1)
            if other != j and movable(j, step) and movable(other, -step)
        ]
        if not options:
            return set(entries), set()
        hidden.add((0, min(options)[1]))
    return hidden, small
