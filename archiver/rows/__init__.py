"""The one place that writes rows. Every change to the database is a function here; during a
run they are called only by the writer (capture/writer.py), one decision per transaction.

    records.py    blobs, captures, posts and their records, documents, references, witnesses
    jobs.py       the work queue
    decisions.py  what one step decides, applied as a whole: a source round, a post's media,
                  a resolved short link, a liveness check
"""
