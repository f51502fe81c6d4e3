#!/bin/sh
# make.sh — regenerate the binary and generated test inputs of test_xmlin.
# Outputs are committed; run from anywhere: sh tests/data/xmlin/make.sh
# Needs: POSIX sh, printf, gzip, iconv, head, dd.  Large inputs (gzip bomb,
# file over the size cap) are NOT made here: test_xmlin.c makes them at run
# time in a temporary directory.
set -eu
cd "$(dirname "$0")"

# --- gzip (recognised by magic, whatever the name) ---
gzip -9 -n -c good.xml > good-gzip.xml
# Two gzip members (RFC 1952 §2.2): the document split mid-element.
head -c 200 good.xml | gzip -9 -n -c > good-multi.dat
tail -c +201 good.xml | gzip -9 -n -c >> good-multi.dat
n=$(wc -c < good-gzip.xml)
# Cut in the middle of the compressed data.
head -c $((n / 2)) good-gzip.xml > truncated.gz
# Only the last 4 bytes (ISIZE) missing: the XML inside is complete.
head -c $((n - 4)) good-gzip.xml > truncated-trailer.gz
# CRC-32 of the trailer flipped: all data comes out, then the check fails.
head -c $((n - 8)) good-gzip.xml > corrupt-crc.gz
printf '\336\255\276\357' >> corrupt-crc.gz
tail -c 4 good-gzip.xml >> corrupt-crc.gz
# Byte 10 (first deflate block header) = 0xff: BTYPE 11, invalid.
head -c 10 good-gzip.xml > corrupt-block.gz
printf '\377' >> corrupt-block.gz
tail -c +12 good-gzip.xml >> corrupt-block.gz
# A complete member followed by bytes that are not a gzip member.
cp good-gzip.xml trailing-garbage.gz
printf 'this is not gzip\n' >> trailing-garbage.gz
# gzip of nothing.
printf '' | gzip -9 -n -c > gzip-of-empty.gz
# A UTF-16 document with a DOCTYPE hidden behind a 1-byte first member: the
# first inflated chunk is one byte, so a BOM check that looks only at the
# first chunk misses "\xff\xfe".
printf '\377' | gzip -9 -n -c > gzip-split-utf16.gz
{ printf '\376'; printf '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<a>&x;</a>\n' |
  iconv -f UTF-8 -t UTF-16LE; } | gzip -9 -n -c >> gzip-split-utf16.gz
# The same split with a DOCTYPE: "<" alone in the first member.
printf '<' | gzip -9 -n -c > gzip-split-doctype.gz
printf '!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<a>&x;</a>\n' |
  gzip -9 -n -c >> gzip-split-doctype.gz

# --- not XML ---
: > empty.xml
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001' > binary-png.bin
printf '\000\001\002\003\004\005<a/>' > binary-zeros.bin

# --- encodings ---
printf '\357\273\277' > utf8-bom.xml
cat good.xml >> utf8-bom.xml
printf '\377\376' > utf16le-bom.xml
iconv -f UTF-8 -t UTF-16LE good.xml >> utf16le-bom.xml
printf '\376\377' > utf16be-bom.xml
iconv -f UTF-8 -t UTF-16BE good.xml >> utf16be-bom.xml
iconv -f UTF-8 -t UTF-16LE good.xml > utf16le-nobom.xml
iconv -f UTF-8 -t UTF-16BE good.xml > utf16be-nobom.xml
{ printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n'
  printf '<Lijst xmlns="urn:betaalrun:test:xmlin" versie="1">\n'
  printf '  <Item code="AB">\n    <Naam>Ren\351 Caf\351</Naam>\n'
  printf '    <Bedrag>12.50</Bedrag>\n  </Item>\n</Lijst>\n'; } > latin1.xml
# Declared ISO-8859-1 but only ASCII inside (the declaration alone refuses).
sed 's/Ren\xe9 Caf\xe9/Rene Cafe/' latin1.xml > latin1-ascii.xml
# EBCDIC (IBM037) with its declaration: libxml2 can read it; refused.
printf '<?xml version="1.0" encoding="IBM037"?>\n<Lijst versie="1"/>\n' |
  iconv -f UTF-8 -t IBM037 > ebcdic.xml
printf '<?xml version="1.0" encoding="IBM037"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<a>&x;</a>\n' |
  iconv -f UTF-8 -t IBM037 > ebcdic-doctype.xml

# --- depth: root = 1 ---
nest() {
	d=$1
	printf '<?xml version="1.0" encoding="UTF-8"?>\n'
	i=1
	while [ $i -le "$d" ]; do printf '<e%d>' $i; i=$((i + 1)); done
	printf 'diep'
	i=$d
	while [ $i -ge 1 ]; do printf '</e%d>' $i; i=$((i - 1)); done
	printf '\n'
}
nest 32 > depth32.xml
nest 33 > depth33.xml

# --- text node length (tests use max_text = 1024) ---
text() {
	printf '<?xml version="1.0" encoding="UTF-8"?>\n<Lijst>\n<Naam>'
	head -c "$1" /dev/zero | tr '\0' 'x'
	printf '</Naam>\n</Lijst>\n'
}
text 1024 > text-1024.xml
text 1025 > text-1025.xml
