-- 0007_directory_kind_by_stream: objects of one kind are read in key order, without an index
-- of their own.
-- Released: never edit this file; add a new migration instead.

-- A stream is 'kind:anchor', so directory_objects' primary key already holds each kind's
-- objects together, by anchor: a kind is the key range from 'kind:' up to 'kind;' (';' is the
-- byte after ':'). The index on (kind, anchor) repeated that order, and every fold wrote to it
-- too (a rebuild sorted it again: 11 MB for 130,000 objects).
DROP INDEX directory_objects_by_kind;
