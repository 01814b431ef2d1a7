#!/usr/bin/env python3
"""Which `public` declarations only tests use (a name-based estimate; run from the repository root).

For each `public` func/var/let/type in Sources (not TestSupport, not the executables) it counts, by name, the
uses in its own module, in other modules (TestSupport counts as production: clanbot-bench uses it) and in Tests:
  only-tests   used nowhere in Sources, only by tests: make it internal (tests `@testable import`), move it
               to the tests, or delete it
  module+tests used in its own module and by tests, by no other module: `public` is not needed
  dead         used nowhere (protocol constants such as close codes may stay)
Initializers and subscripts are skipped; a name shared with something else counts as used (so it under-counts).
`python3 deploy/audit-public-api.py -v` lists the declarations.
"""
import collections, glob, os, re, sys

executables = {'clanbot', 'clanbot-bench', 'memory-floor', 'ws-conformance'}
module = lambda path: path.split('/')[1]
sources = glob.glob('Sources/**/*.swift', recursive=True)
tests = glob.glob('Tests/**/*.swift', recursive=True)
code = {p: re.sub(r'//[^\n]*', '', open(p).read()) for p in sources + tests}
declaration = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*public\s+(?:(?:static|final|override|mutating|nonisolated|convenience|required|indirect|class)\s+)*'
                         r'(func|var|let|struct|class|enum|actor|protocol|typealias)\b\s*([A-Za-z_][A-Za-z0-9_]*)')

def uses(name, files, skip_one_in=None):
    pattern = re.compile(r'(?<![A-Za-z0-9_])' + re.escape(name) + r'(?![A-Za-z0-9_])')
    return sum(len(pattern.findall(code[f])) - (1 if f == skip_one_in else 0) for f in files)

found = collections.Counter()
for path in sorted(sources):
    owner = module(path)
    if owner == 'TestSupport' or owner in executables:
        continue
    for number, line in enumerate(open(path).read().split('\n'), 1):
        match = declaration.match(line)
        if not match:
            continue
        name = match.group(2)
        if uses(name, [f for f in sources if module(f) != owner]) > 0:
            continue
        own = uses(name, [f for f in sources if module(f) == owner], skip_one_in=path)
        tested = uses(name, tests) > 0
        kind = 'dead' if own == 0 and not tested else 'only-tests' if own == 0 else 'module+tests' if tested else None
        if kind:
            found[(owner, kind)] += 1
            if '-v' in sys.argv:
                print(f'{kind}\t{path}:{number}\t{line.strip()}')
for (owner, kind), count in sorted(found.items()):
    print(f'{owner:16} {kind:13} {count}')
