#!/usr/bin/env python3
"""Writes the malformed-input corpus under Sources/TestSupport/Fixtures/malformed/.

Each file is a CSV (or something posing as one) that MLForge must reject with a one-line message, a
non-zero exit status, and no crash. corpus.json lists every file with the arguments to use and a fragment
the message must contain. Both the library tests and the CLI tests run the whole corpus.
Run once after editing: python3 scripts/make_malformed_corpus.py
"""
import json, os, random

OUT = os.path.join(os.path.dirname(__file__), "..", "Sources", "TestSupport", "Fixtures", "malformed")
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))
cases = []

def case(name, content, expect, target=None, task=None, types=None):
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    entry = {"file": name, "expect": expect}
    if target: entry["target"] = target
    if task: entry["task"] = task
    if types: entry["types"] = types
    cases.append(entry)

# Empty and header-only.
case("empty.csv", b"", "the file is empty")
case("only_newlines.csv", "\n\n\n", "the file is empty")
case("only_crlf_and_spaces.csv", "  \r\n \r\n", "the file is empty")
case("bom_only.csv", b"\xef\xbb\xbf", "the file is empty")
case("header_only.csv", "a,b,c\n", "no data rows")
case("header_only_no_newline.csv", "a,b,c", "no data rows")
case("header_then_blank_lines.csv", "a,b\n\n\n", "no data rows")
case("bom_header_only.csv", b"\xef\xbb\xbfx;y;z\r\n", "no data rows")
# Ragged rows (the line is named).
case("ragged_extra_field.csv", "a,b,c\n1,2,3\n4,5,6,7\n", "line 3 has 4 fields but the header has 3")
case("ragged_missing_field.csv", "a,b,c\n1,2,3\n4,5,6\n7,8\n", "line 4 has 2 fields but the header has 3")
case("ragged_after_quoted_newline.csv", 'a,b\n"multi\nline",1\n2,3\n4\n', "line 5 has 1 field but the header has 2")
case("ragged_trailing_delimiter.csv", "a,b\n1,2,\n", "line 2 has 3 fields but the header has 2")
case("ragged_crlf.csv", "a,b,c\r\n1,2,3\r\n1,2,3\r\n1,2\r\n", "line 4 has 2 fields")
case("ragged_cr_only.csv", "a,b,c\r1,2,3\r1,2,3,4\r", "line 3 has 4 fields")
case("ragged_semicolon.csv", "a;b;c\n1;2;3\n4;5\n", "line 3 has 2 fields but the header has 3")
case("ragged_tab.csv", "a\tb\n1\t2\n3\t4\t5\n", "line 3 has 3 fields but the header has 2")
case("ragged_late_in_file.csv", "x,y\n" + "".join(f"{i},{i*2}\n" for i in range(3000)) + "1,2,3\n", "line 3002 has 3 fields")
# Quoting.
case("unterminated_quote.csv", 'a,b\n1,2\n"open,3\n4,5\n', "opened on line 3 is never closed")
case("unterminated_quote_header.csv", '"a,b\n1,2\n', "opened on line 1 is never closed")
case("unterminated_quote_last_field.csv", 'a,b\n1,"2\n', "opened on line 2 is never closed")
case("text_after_closing_quote.csv", 'a,b\n"x"y,2\n', "line 2 has text right after a closing quote")
case("text_after_quote_header.csv", '"a"b,c\n1,2\n', "line 1 has text right after a closing quote")
case("text_after_quote_multiline.csv", 'a,b\n1,"two\nlines"x\n', "line 3 has text right after a closing quote")
# Column names.
case("duplicate_columns.csv", "a,b,a\n1,2,3\n", "columns 1 and 3 are both named 'a'")
case("duplicate_after_trim.csv", "a, a\n1,2\n", "columns 1 and 2 are both named 'a'")
case("duplicate_quoted.csv", '"x","y","x"\n1,2,3\n', "columns 1 and 3 are both named 'x'")
case("empty_column_name_first.csv", ",a,b\n0,1,2\n", "column 1 has an empty name")
case("empty_column_name_middle.csv", "a,,b\n0,1,2\n", "column 2 has an empty name")
case("empty_column_name_quoted.csv", '"",a\n1,2\n', "column 1 has an empty name")
case("empty_column_name_spaces.csv", "a,   \n1,2\n", "column 2 has an empty name")
case("too_many_columns.csv", ",".join(f"c{i}" for i in range(100_001)) + "\n" + ",".join("1" for _ in range(100_001)) + "\n", "more than the limit of 100000")
# Not text / not UTF-8.
rng = random.Random(7)
case("binary_garbage.csv", bytes(rng.randrange(256) for _ in range(4096)), "looks binary")
case("png_image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "looks binary")
case("gzip_file.csv", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(rng.randrange(256) for _ in range(200)), "looks binary")
case("nul_in_field.csv", b"a,b\n1,x\x00y\n", "looks binary")
case("utf16le_bom.csv", "\ufeffa,b\n1,2\n".encode("utf-16-le"), "UTF-16")
case("utf16be_bom.csv", "\ufeffa,b\n1,2\n".encode("utf-16-be"), "UTF-16")
case("latin1_value.csv", "name,n\nabc,1\ncaf\u00e9,2\n".encode("latin-1"), "line 3 is not valid UTF-8")
case("latin1_header.csv", "caf\u00e9,n\nx,1\n".encode("latin-1"), "line 1 is not valid UTF-8")
case("overlong_utf8.csv", b"a,b\nx,1\n\xc0\xaf,2\n", "line 3 is not valid UTF-8")
case("truncated_utf8.csv", b"a,b\nx,1\ny\xe2\x82,2\n", "line 3 is not valid UTF-8")
# Target problems.
case("target_absent.csv", "a,b\n1,2\n3,4\n", "no column named 'price'; the columns are: 'a', 'b'", target="price")
case("target_all_missing.csv", "a,y\n1,NA\n2,\n3,?\n", "has no values", target="y")
case("target_all_empty_quoted.csv", 'a,y\n1,""\n2,""\n', "has no values", target="y")
case("target_single_class.csv", "a,y\n1,yes\n2,yes\n3,yes\n", "holds a single class ('yes')", target="y")
case("target_single_class_with_gaps.csv", "a,y\n1,yes\n2,\n3,yes\n", "holds a single class", target="y")
case("target_numeric_constant.csv", "a,y\n1,5\n2,5\n3,5\n", "holds a single class ('5')", target="y")
case("target_text_as_regression.csv", "a,y\n1,lo\n2,hi\n3,lo\n", "cannot be a regression target", target="y", task="regression")
case("target_binary_but_three.csv", "a,y\n1,r\n2,g\n3,b\n", "has 3 classes", target="y", task="binary")
# Declared types that the data contradicts.
case("declared_numeric_text.csv", "a,b\n1,2\n3,x7\n", "column 'b' is declared numeric but line 3 holds 'x7'", types={"b": "numeric"})
case("declared_boolean_text.csv", "a,b\n1,true\n2,maybe\n", "column 'b' is declared boolean but line 3 holds 'maybe'", types={"b": "boolean"})
case("declared_unknown_column.csv", "a,b\n1,2\n", "no column named 'c'", types={"c": "numeric"})

with open(os.path.join(OUT, "corpus.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
