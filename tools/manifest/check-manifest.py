#!/usr/bin/python3
# Regenerates the element manifest from the build and compares it with the
# committed docs/plugins.json. Plugins not built here (disabled features) are
# skipped; any other difference fails, with a diff and the command that
# refreshes the file.
import difflib
import json
import os
import subprocess
import sys
import tempfile

tool, committed, expected = sys.argv[1], sys.argv[2], sys.argv[3:]
with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, 'plugins.json')
    subprocess.run([tool, out], check=True)
    with open(out) as f:
        built = json.load(f)
with open(committed) as f:
    docs = json.load(f)

failed = False
for name in expected:
    if name not in built:
        print('plugin %s was built but does not load' % name)
        failed = True
for name, plugin in sorted(built.items()):
    if name not in docs:
        print('plugin %s is built but missing from %s' % (name, committed))
        failed = True
        continue
    a = json.dumps(docs[name], indent=2, sort_keys=True).splitlines()
    b = json.dumps(plugin, indent=2, sort_keys=True).splitlines()
    if a != b:
        failed = True
        print('plugin %s differs from %s:' % (name, committed))
        print('\n'.join(difflib.unified_diff(a, b, 'docs', 'build', lineterm='')))
for name in sorted(set(docs) - set(built)):
    print('plugin %s not built here: not compared' % name)
if failed:
    print('\nrefresh with: meson compile -C build update-manifest')
    sys.exit(1)
print('1 passed, 0 failed')
