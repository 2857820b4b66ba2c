#!/usr/bin/env python3
"""Packs the built page (dist/) as a SCORM 1.2 package that course platforms import.

    python3 package-scorm.py [--dist dist] [--out dist/rnn-lesson-scorm12.zip]

The zip holds imsmanifest.xml at its root (SCORM 1.2: one organisation with one item, one
SCO resource whose href is index.html and which lists every file of the zip) and the files of
dist/ as they are (any .zip in dist/ left out). web/lms.js is what talks to the platform.
Entries carry a fixed date, so the same dist/ gives the same zip. Needs only Python's
standard library (./lesson.sh package runs it after building dist/).
"""
import argparse
import json
import os
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

TITLE = 'Why Recurrence Struggles at Scale'
FIXED_DATE = (2000, 1, 1, 0, 0, 0)  # zip entries' timestamp: reproducible archives


def files_of(dist, out):
    """Every file under dist/ as a '/'-separated relative path, sorted; zips left out."""
    found = []
    for top, dirs, names in os.walk(dist):
        dirs.sort()
        for name in names:
            full = os.path.join(top, name)
            if name.endswith('.zip') or os.path.abspath(full) == os.path.abspath(out):
                continue
            found.append(os.path.relpath(full, dist).replace(os.sep, '/'))
    return sorted(found)


def manifest(files, version):
    listed = '\n'.join('      <file href=%s/>' % quoteattr(f) for f in ['imsmanifest.xml'] + files)
    return '''<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="rnn-lesson" version=%s
          xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
          xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="rnn-lesson-course">
    <organization identifier="rnn-lesson-course">
      <title>%s</title>
      <item identifier="rnn-lesson-item" identifierref="rnn-lesson-sco" isvisible="true">
        <title>%s</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="rnn-lesson-sco" type="webcontent" adlcp:scormtype="sco" href="index.html">
%s
    </resource>
  </resources>
</manifest>
''' % (quoteattr(version), escape(TITLE), escape(TITLE), listed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dist', default='dist')
    parser.add_argument('--out', default=None, help='default: <dist>/rnn-lesson-scorm12.zip')
    args = parser.parse_args()
    out = args.out or os.path.join(args.dist, 'rnn-lesson-scorm12.zip')
    if not os.path.isfile(os.path.join(args.dist, 'index.html')):
        sys.exit('package-scorm.py: %s/index.html is missing: build the page first (./build-wasm.sh)' % args.dist)
    with open('package.json', encoding='utf-8') as f:
        version = json.load(f)['version']
    files = files_of(args.dist, out)
    tmp = out + '.part'
    with zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as z:
        def add(name, data):
            info = zipfile.ZipInfo(name, FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
        add('imsmanifest.xml', manifest(files, version))
        for name in files:
            with open(os.path.join(args.dist, name), 'rb') as f:
                add(name, f.read())
    os.replace(tmp, out)
    print('%s: SCORM 1.2 package, %d files + imsmanifest.xml, %d bytes' % (out, len(files), os.path.getsize(out)))


if __name__ == '__main__':
    main()
