"""Layout of the observed-transitions state diagram (the SVG markup is in templates/diagram.svg.j2).

Layered left to right: states nobody enters come first, every other state one
column after its earliest predecessor (breadth-first). Edges that go backward or
stay in a column bow out as curves, and a pair A->B / B->A bends to opposite
sides, so no two edges overlap. Within a column, states follow the order the
botocore model documents them in.
"""

from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

COLUMN_GAP = 150
ROW_GAP = 62
NODE_HEIGHT = 30
MARGIN = 24
CHAR_WIDTH = 7.2  # 12px sans-serif, generously

FAILED_STATES = {"Failed", "UpdateRollbackFailed", "OutOfService"}
SETTLED_STATES = {"InService", "(gone)", "Deleted", "gone"}


@dataclass(frozen=True)
class Node:
    name: str
    x: float  # centre
    y: float
    width: float
    kind: str  # failed | settled | transient
    observed: int  # transitions touching it


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    count: int
    path: str  # SVG path data
    label_x: float
    label_y: float
    stroke: float


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    nodes: List[Node]
    edges: List[Edge]


def documented_order() -> List[str]:
    """EndpointStatus then VariantStatus values, in the model's order (the diagram's tie-break)."""
    from botocore.model import NoShapeFoundError

    from conformance.model import service_model

    order: List[str] = []
    for shape_name in ("EndpointStatus", "VariantStatus"):
        try:
            values = service_model().shape_for(shape_name).enum
        except NoShapeFoundError:  # a model without the shape only loses the ordering
            values = []
        order.extend(value for value in values if value not in order)
    return order


def parse(transitions: Dict[str, int]) -> List[Tuple[str, str, int]]:
    edges = []
    for key, count in transitions.items():
        before, sep, after = key.partition("->")
        if sep and before.strip() and after.strip():
            edges.append((before.strip(), after.strip(), int(count)))
    return edges


def _ranks(states: List[str], edges: List[Tuple[str, str, int]]) -> Dict[str, int]:
    successors = defaultdict(list)
    incoming = defaultdict(int)
    for before, after, _ in edges:
        successors[before].append(after)
        incoming[after] += 1
    rank: Dict[str, int] = {}
    pending = [state for state in states if not incoming[state]] or states[:1]
    while True:
        queue = deque(pending)
        for state in pending:
            rank.setdefault(state, 0)
        while queue:
            state = queue.popleft()
            for nxt in successors[state]:
                if nxt not in rank:
                    rank[nxt] = rank[state] + 1
                    queue.append(nxt)
        rest = [state for state in states if state not in rank]
        if not rest:
            return rank
        pending = rest[:1]  # a cycle nobody enters from outside: start it in column 0


def _clip(cx: float, cy: float, half_w: float, half_h: float, dx: float, dy: float) -> Tuple[float, float]:
    """Where the ray from a box's centre along (dx, dy) leaves the box."""
    scale = min(half_w / abs(dx) if dx else math.inf, half_h / abs(dy) if dy else math.inf)
    return cx + dx * scale, cy + dy * scale


def layout(transitions: Dict[str, int], order: Optional[List[str]] = None) -> Optional[Diagram]:
    edges = parse(transitions)
    if not edges:
        return None
    order = documented_order() if order is None else order
    seen = {state for before, after, _ in edges for state in (before, after)}
    position = {name: index for index, name in enumerate(order)}
    states = sorted(seen, key=lambda state: (position.get(state, len(order)), state))
    rank = _ranks(states, edges)
    columns: Dict[int, List[str]] = defaultdict(list)
    for state in states:
        columns[rank[state]].append(state)
    # One barycentre pass: a state sits near the mean row of the states that lead to it (fewer crossings).
    row: Dict[str, float] = {}
    for column in sorted(columns):
        members = columns[column]
        if column:
            def barycentre(state: str) -> float:
                rows = [row[before] for before, after, _ in edges if after == state and before in row]
                return sum(rows) / len(rows) if rows else len(members)
            members.sort(key=lambda state: (barycentre(state), states.index(state)))
        row.update({state: index for index, state in enumerate(members)})
    tallest = max(len(column) for column in columns.values())
    widths = {state: max(70.0, len(state) * CHAR_WIDTH + 22) for state in states}
    column_width = max(widths.values())
    touches = defaultdict(int)
    for before, after, count in edges:
        touches[before] += count
        touches[after] += count

    nodes: Dict[str, Node] = {}
    for column, members in sorted(columns.items()):
        offset = (tallest - len(members)) * ROW_GAP / 2
        for row, state in enumerate(members):
            kind = "failed" if state in FAILED_STATES else "settled" if state in SETTLED_STATES else "transient"
            nodes[state] = Node(
                name=state,
                x=MARGIN + column_width / 2 + column * (column_width + COLUMN_GAP - 60),
                y=NODE_HEIGHT / 2 + offset + row * ROW_GAP,
                width=widths[state],
                kind=kind,
                observed=touches[state],
            )

    pairs = {(before, after) for before, after, _ in edges}
    heaviest = max(count for _, _, count in edges)
    curves = []
    for before, after, count in sorted(edges, key=lambda edge: (rank[edge[0]], edge[0], edge[1])):
        a, b = nodes[before], nodes[after]
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy) or 1.0
        # Bend: none for a lone forward edge; some for a two-way pair; backward/same-column edges
        # bow out in proportion to the columns they jump, so they clear the states in between.
        bend = 0.0
        if (after, before) in pairs:
            bend = 22.0
        span = rank[before] - rank[after]
        if span >= 0:
            bend = max(bend, 30.0 + 45.0 * span)
        normal_x, normal_y = -dy / length, dx / length
        control = ((a.x + b.x) / 2 + normal_x * bend, (a.y + b.y) / 2 + normal_y * bend)
        start = _clip(a.x, a.y, a.width / 2, NODE_HEIGHT / 2, control[0] - a.x, control[1] - a.y)
        end = _clip(b.x, b.y, b.width / 2 + 4, NODE_HEIGHT / 2 + 4, control[0] - b.x, control[1] - b.y)
        curves.append((before, after, count, start, control, end))

    # Curves may bow past the nodes: grow the canvas to hold them (sampled along each curve).
    ys = [node.y - NODE_HEIGHT / 2 for node in nodes.values()] + [node.y + NODE_HEIGHT / 2 for node in nodes.values()]
    for *_, start, control, end in curves:
        for step in range(11):
            t = step / 10
            ys.append((1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1])
    shift = MARGIN - min(ys)
    nodes = {name: Node(n.name, n.x, n.y + shift, n.width, n.kind, n.observed) for name, n in nodes.items()}

    drawn: List[Edge] = []
    for before, after, count, start, control, end in curves:
        start, control, end = ((p[0], p[1] + shift) for p in (start, control, end))
        drawn.append(
            Edge(
                source=before,
                target=after,
                count=count,
                path=f"M{start[0]:.1f},{start[1]:.1f} Q{control[0]:.1f},{control[1]:.1f} {end[0]:.1f},{end[1]:.1f}",
                # The label sits on the curve's midpoint (t = 0.5 of the quadratic Bézier).
                label_x=round(0.25 * start[0] + 0.5 * control[0] + 0.25 * end[0], 1),
                label_y=round(0.25 * start[1] + 0.5 * control[1] + 0.25 * end[1], 1),
                stroke=round(1.2 + 2.3 * math.log1p(count) / math.log1p(heaviest), 2),
            )
        )
    width = max(node.x + node.width / 2 for node in nodes.values()) + MARGIN
    height = max(ys) + shift + MARGIN
    return Diagram(width=int(math.ceil(width)), height=int(math.ceil(height)), nodes=list(nodes.values()), edges=drawn)
