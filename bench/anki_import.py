#!/usr/bin/env python3
"""Import questions into a new Anki collection with Anki's own importer
(`Collection.import_csv`, the code behind File > Import), for bench/import.

usage: anki_import.py COLLECTION.anki2 QUESTIONS.csv

QUESTIONS.csv is gen_questions.py's file without a header row: the question becomes
the Basic note's Front, the explanation its Back, the id its guid (so a second import
updates, as mlsec's does) and the tags column its tags. Prints the seconds spent in
import_csv on stdout.
"""
import sys
import time

from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest


def main() -> None:
    collection, csv_path = sys.argv[1], sys.argv[2]
    col = Collection(collection)
    meta = col.get_csv_metadata(csv_path, None)
    meta.is_html = False
    meta.guid_column = 1
    meta.tags_column = 10
    del meta.global_notetype.field_columns[:]
    meta.global_notetype.field_columns.extend([3, 9])
    start = time.perf_counter()
    log = col.import_csv(ImportCsvRequest(path=csv_path, metadata=meta))
    elapsed = time.perf_counter() - start
    notes = len(log.log.new) + len(log.log.updated) + len(log.log.duplicate)
    col.close()
    print(f"{elapsed:.3f} {notes}")


if __name__ == "__main__":
    main()
