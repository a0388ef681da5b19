"""Stage 3, check: walk an archive, read and verify every record, and what a change since a git ref may do."""
