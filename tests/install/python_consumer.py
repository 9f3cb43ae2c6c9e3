"""Imports the installed Python module (run by run_install_test.cmake with
PYTHONPATH set to the installed dist-packages directory, given as argv[1])."""
import os
import sys

import techmatch

where = os.path.realpath(techmatch.__file__)
if not where.startswith(os.path.realpath(sys.argv[1])):
    sys.exit(f'python consumer: techmatch imported from {where}, not the prefix')
e = techmatch.Engine.open({'embedder': {'dim': 2}})
e.add([{'id': 'S1', 'title': '钛合金3D打印', 'text': '航空结构件'},
       {'id': 'S2', 'title': '钛合金焊接', 'text': '激光焊接'},
       {'id': 'S3', 'title': '石墨烯负极材料', 'text': '快充电池'},
       {'id': 'S4', 'title': '石墨烯导热膜', 'text': '散热'}])
e.build()
r = e.match_text('钛合金3D打印航空', k=2)
print(techmatch.__version__, [m.id for m in r.matches], r.confidence, r.needs_follow_up)
if not r.matches or r.matches[0].id != 'S1':
    sys.exit('python consumer: expected S1 first')
print('python consumer ok')
