"""The one place that writes rows. Every change to the database is a function here; during a
run they are called only by the writer (capture/writer.py), one decision per transaction.

    records.py    blobs, captures, posts and their records, documents, references, witnesses
    jobs.py       the work queue
    decisions.py  what one step decides, applied as a whole: a source round, a post's media,
                  a resolved short link, a liveness check

Rows of posts and media are changed with Core statements on their tables: the writer reads every
row afresh after each decision (`expire_all`), so the ORM's matching of loaded objects to what a
statement changed would be work for nothing.
"""
