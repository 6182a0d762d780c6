"""Text-search configurations that forgive accents (issue 19).

`gds_english` is PostgreSQL's `english` with `unaccent` before the stemmer: prose is
stemmed ("analyses" finds "analysis") and "Kucukbenli" finds "Küçükbenli".
`gds_simple` is `simple` with `unaccent`: names and codes are matched as written, only
lower-cased and unaccented ("23.01.12" stays one lexeme, a name is never stemmed).
Every app's search vector and every search query use one of the two (gds_portal.search),
so the same word is normalised the same way on both sides.

`gds_unaccent(text)` is `unaccent` declared IMMUTABLE (its dictionary named, so it is),
which PostgreSQL requires of a function in an index: apps index `gds_unaccent(title)`
with trigram operators, so that "did you mean" (pg_trgm word similarity, accents
ignored) is answered from an index instead of reading every title.

`pg_trgm` (the "did you mean" suggestions) is created here too, for the ground floor's
own use; meetings' migration 0003 creates it as well. IF NOT EXISTS makes that harmless,
and going backwards keeps it (meetings still needs it).
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

FORWARD = """
CREATE TEXT SEARCH CONFIGURATION gds_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION gds_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION gds_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION gds_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE FUNCTION gds_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""
BACKWARD = """
DROP FUNCTION IF EXISTS gds_unaccent(text);
DROP TEXT SEARCH CONFIGURATION IF EXISTS gds_english;
DROP TEXT SEARCH CONFIGURATION IF EXISTS gds_simple;
"""


class Migration(migrations.Migration):
    dependencies = [("gds_portal", "0008_diversity_survey_wording")]

    operations = [
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        UnaccentExtension(),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
