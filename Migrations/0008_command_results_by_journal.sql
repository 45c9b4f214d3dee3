-- 0008_command_results_by_journal: an emission's latest result is found through an index.
-- Released: never edit this file; add a new migration instead.

-- Every read of the journal joins each emission to its latest result (max(result_id) for its
-- journal_id). Without an index that was a scan of every result per emission: once the 100,000
-- commands of a first run were acked, an incremental plan of 1,000 objects took 3 s and a full
-- plan did not end. result_id is the rowid, so the index on journal_id alone gives the max.
CREATE INDEX command_results_by_journal ON command_results (journal_id);
