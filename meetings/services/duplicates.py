"""The likely-duplicate check: numbered abstracts compared with the others of their meeting,
and the alike pairs stored for the Program committee's pages
(meetings.selectors.reviews.likely_duplicates).

Nothing here runs in a member's request. A submitted abstract starts unchecked
(`duplicates_checked_at` null) and an edit of its title or body makes it unchecked again,
within the write that happens anyway; the check_duplicates worker, load_demo and
generate_bench_data call check_pending.

The measure: pg_trgm's similarity (trigrams shared over trigrams in either, 0 to 1) of the
titles or of the bodies, whichever is higher, at least DUPLICATE_SIMILARITY, computed by
PostgreSQL (migration 0003 installs pg_trgm; the embedded development server ships it too).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from meetings.enums import REVIEWABLE_STATES
from meetings.models import Abstract, LikelyDuplicate

# Titles or bodies at least this similar (0 to 1) are flagged as likely duplicates.
DUPLICATE_SIMILARITY = 0.6
# Abstracts claimed and checked in one transaction. A batch costs mostly its meeting's
# abstracts, hardly its own size, so larger batches keep up with a deadline rush for less
# database time; but the claimed rows stay locked meanwhile, and a member editing one of
# them waits for the batch.
BATCH_SIZE = 50

Pair = tuple[int, int, float]  # (abstract, other, similarity)


def check_due() -> QuerySet[Abstract]:
    """Numbered abstracts not yet compared since they were submitted or last changed.

    Meeting by meeting, so a batch compares with as few meetings as possible (the cost
    of a batch is mostly its meetings'), newest meeting first (its call is the one under
    review); oldest first within a meeting.
    """
    return Abstract.objects.filter(
        duplicates_checked_at__isnull=True, state__in=REVIEWABLE_STATES
    ).order_by("-meeting_id", "pk")


def check_pending(*, limit: int = BATCH_SIZE) -> int:
    """Check up to `limit` abstracts that await the check (check_due); returns how many.

    The abstracts are claimed with SELECT … FOR NO KEY UPDATE SKIP LOCKED in the
    transaction that checks them, so workers running at once (several hosts, or `make
    run` beside `make worker`) each take other abstracts and never check one twice at
    once, and a member's edit of a claimed abstract waits for the batch (then makes it due
    again). NO KEY UPDATE rather than UPDATE: it excludes the same writers, and is the
    lock the check's own UPDATE of duplicates_checked_at takes anyway.
    Side effects: those of abstracts_check.
    """
    with transaction.atomic():
        claimed = check_due().select_for_update(skip_locked=True, no_key=True)
        ids = list(claimed.values_list("pk", flat=True)[:limit])
        if ids:
            abstracts_check(ids=ids)
    return len(ids)


@transaction.atomic
def abstracts_check(*, ids: list[int]) -> int:
    """Compare the abstracts `ids` with their meetings' numbered abstracts; returns the
    number of alike pairs found.

    Side effects: every LikelyDuplicate row naming one of these abstracts, in either
    direction, is replaced by the pairs found now, each stored both ways; the abstracts'
    duplicates_checked_at is set. Drafts and withdrawn abstracts among `ids` are compared
    with nothing (they lose their pairs). Callers other than check_pending should hold the
    abstracts' row locks if members may be editing them.
    """
    _take_turns(ids)
    found = similar_pairs(ids)
    LikelyDuplicate.objects.filter(Q(abstract_id__in=ids) | Q(other_id__in=ids)).delete()
    both_ways: dict[tuple[int, int], float] = {}
    for a_id, b_id, score in found:
        both_ways[a_id, b_id] = both_ways[b_id, a_id] = score
    LikelyDuplicate.objects.bulk_create(
        [
            LikelyDuplicate(abstract_id=a, other_id=b, similarity=s)
            for (a, b), s in sorted(both_ways.items())
        ],
        update_conflicts=True,
        unique_fields=["abstract", "other"],
        update_fields=["similarity"],
    )
    Abstract.objects.filter(pk__in=ids).update(duplicates_checked_at=timezone.now())
    return len(both_ways) // 2


# The first key of the check's advisory locks ("DUPE"); the second is a meeting's id.
LOCK_SPACE = 0x44555045


def _take_turns(ids: list[int]) -> None:
    """Checks of one meeting take turns, each until its transaction ends.

    So a check that starts later also compares and writes later: pairs computed from an
    abstract's older text (another worker's check that began before an edit) can never
    overwrite those of its newer text, and two workers whose batches hold the two ends of
    a pair never delete and insert the same rows in different orders (a deadlock).
    Meetings in id order, so batches spanning several never wait for each other in a
    circle. Checks of different meetings still run side by side.
    """
    meetings = sorted(set(Abstract.objects.filter(pk__in=ids).values_list("meeting_id", flat=True)))
    with connection.cursor() as cursor:
        for meeting in meetings:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_SPACE, meeting])


# One statement for a batch, whatever its size, doing work in proportion to the batch's
# meetings rather than to all abstracts. Comparing texts pair by pair with similarity()
# is slow, as pg_trgm extracts both texts' trigrams again on every call, and a backlog
# multiplies that; looking each abstract up in a trigram GIN index reads posting lists as
# long as the whole table. Here each text's trigrams are extracted once (show_trgm), the
# batch's trigrams numbered per meeting and field, and every text of those meetings
# turned into a bit string over those numbers: then |A ∩ B| = bit_count(a & b), the same
# Jaccard measure as similarity(), and cheap per pair. Pairs that come near the
# threshold are decided by similarity() itself.
SIMILAR_PAIRS_SQL = """
WITH batch AS MATERIALIZED (
    SELECT id, meeting_id, show_trgm(title) AS title, show_trgm(body) AS body FROM {table}
    WHERE id = ANY(%(ids)s) AND state = ANY(%(states)s)
), numbered AS MATERIALIZED (
    SELECT meeting_id, field, gram,
           (row_number() OVER (PARTITION BY meeting_id, field ORDER BY gram) - 1)::int AS bit
    FROM (SELECT DISTINCT meeting_id, f.field, gram
          FROM batch CROSS JOIN LATERAL (VALUES (1, title), (2, body)) AS f(field, grams)
          CROSS JOIN LATERAL unnest(f.grams) AS gram) AS batch_grams
), widths AS (
    SELECT meeting_id, field, max(bit) / 63 AS last_word FROM numbered GROUP BY meeting_id, field
), pool AS MATERIALIZED (
    SELECT id, meeting_id, show_trgm(title) AS title, show_trgm(body) AS body FROM {table}
    WHERE meeting_id IN (SELECT meeting_id FROM batch) AND state = ANY(%(states)s)
), grams AS MATERIALIZED (
    SELECT p.id, p.meeting_id, f.field, t.gram
    FROM pool p CROSS JOIN LATERAL (VALUES (1, p.title), (2, p.body)) AS f(field, grams)
    CROSS JOIN LATERAL unnest(f.grams) AS t(gram)
), words AS (
    SELECT g.id, g.field, n.bit / 63 AS word, bit_or(1::bigint << (n.bit %% 63)) AS bits
    FROM grams g JOIN numbered n USING (meeting_id, field, gram)
    GROUP BY g.id, g.field, n.bit / 63
), sets AS MATERIALIZED (
    SELECT p.id, p.meeting_id, f.field, f.size,
           string_agg(coalesce(w.bits, 0)::bit(63)::text, '' ORDER BY word_no)::varbit AS bits
    FROM pool p
    CROSS JOIN LATERAL (VALUES (1, cardinality(p.title)),
                               (2, cardinality(p.body))) AS f(field, size)
    JOIN widths ON widths.meeting_id = p.meeting_id AND widths.field = f.field
    CROSS JOIN LATERAL generate_series(0, widths.last_word) AS word_no
    LEFT JOIN words w ON w.id = p.id AND w.field = f.field AND w.word = word_no
    WHERE f.size > 0
    GROUP BY p.id, p.meeting_id, f.field, f.size
), near AS (
    SELECT DISTINCT a.id AS a_id, b.id AS b_id
    FROM sets a JOIN sets b ON b.meeting_id = a.meeting_id AND b.field = a.field AND b.id <> a.id
    CROSS JOIN LATERAL (SELECT bit_count(a.bits & b.bits) AS n) AS shared
    WHERE a.id IN (SELECT id FROM batch)
      AND shared.n >= %(near)s::float8 * (a.size + b.size - shared.n)
), scored AS (
    SELECT near.a_id, near.b_id,
           GREATEST(similarity(a.title, b.title), similarity(a.body, b.body)) AS score
    FROM near JOIN {table} a ON a.id = near.a_id JOIN {table} b ON b.id = near.b_id
)
SELECT a_id, b_id, score FROM scored WHERE score >= %(threshold)s
"""
# Bit-string Jaccard within this of the threshold goes to similarity(): a margin for the
# float4 rounding of similarity(), never a filter that could drop a pair it would keep.
NEAR_MARGIN = 0.05


def similar_pairs(ids: list[int]) -> list[Pair]:
    """(abstract, other, similarity) for each numbered abstract in `ids` and each other
    numbered abstract of its meeting at least DUPLICATE_SIMILARITY alike."""
    if not ids:
        return []
    sql = SIMILAR_PAIRS_SQL.format(table=Abstract._meta.db_table)
    params: dict[str, list[int] | list[str] | float] = {
        "ids": list(ids),
        "states": [str(state) for state in REVIEWABLE_STATES],
        "near": DUPLICATE_SIMILARITY - NEAR_MARGIN,
        "threshold": DUPLICATE_SIMILARITY,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pairs: list[Pair] = cursor.fetchall()  # the SELECT's a_id, b_id, score
        return pairs
