-- 0006_directory_object_causes: which events and actors made each object, kept with it, so
-- a plan names the events behind every command (their seqs and actors) without scanning the
-- log.
-- Released: never edit this file; add a new migration instead.
-- Every value here can be rebuilt from `events` (`syncledger rebuild`).

ALTER TABLE directory_objects ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 0;  -- the seq of the stream's first event folded
ALTER TABLE directory_objects ADD COLUMN actors TEXT;  -- JSON array: every actor of the events folded, sorted, each once
                                                        -- (NULL: not traced; written by a build before this migration)

-- The objects folded before this migration, traced once from the events folded into them
-- (those of their stream up to their last_seq).
UPDATE directory_objects SET
    first_seq = coalesce((SELECT min(e.seq) FROM events e WHERE e.stream = directory_objects.stream), 0),
    actors = (
        SELECT json_group_array(actor) FROM (
            SELECT DISTINCT e.actor AS actor FROM events e
            WHERE e.stream = directory_objects.stream AND e.seq <= directory_objects.last_seq
            ORDER BY e.actor
        )
    );
