"""Build mapchete's tile server as `mapchete serve <file>.mapchete` does, and dump the routes.

`mapchete serve` (`mapchete.cli.mapchete.serve.serve`) calls
`create_app(mapchete_files=[...], ...)`, which parses each process
configuration, opens the processes (`mapchete.open(...)`, mode `continue`)
and defines the two views inside the factory; the WMTS rule is joined from
segments, one of which is `g` or `WGS84` after the process pyramid's CRS. We
write, in a temporary folder, a one-band GeoTIFF made with rasterio (the
input) and a process configuration that runs the packaged example process
(`mapchete.processes.examples.example_process`) on a geodetic pyramid with a
GeoTIFF output in that folder, then call `create_app` as `serve` does
(default options), without running the server.

Stubs: nothing may leave the machine (`runtime/_offline.py`: sockets and DNS
refused).
"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]
exec(open(os.path.join(HERE, "_dump.py")).read())  # defines dump()

exec(open(os.path.join(HERE, "_offline.py")).read())  # defines refused, refuse_network()
refuse_network()

work = tempfile.mkdtemp(prefix="realapps-mapchete-")
os.chdir(work)

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from rasterio.transform import from_bounds  # noqa: E402

raster = os.path.join(work, "input.tif")
with rasterio.open(raster, "w", driver="GTiff", width=64, height=64, count=1, dtype="uint8",
                   crs="EPSG:4326", transform=from_bounds(0, 0, 1, 1, 64, 64)) as dst:
    dst.write(np.arange(64 * 64, dtype="uint8").reshape(1, 64, 64))

config = os.path.join(work, "example.mapchete")
with open(config, "w") as f:
    f.write(f"""process: mapchete.processes.examples.example_process
zoom_levels:
  min: 0
  max: 8
pyramid:
  grid: geodetic
input:
  file1: {raster}
output:
  format: GTiff
  path: {os.path.join(work, "output")}
  dtype: uint8
  bands: 1
""")

from mapchete.cli.mapchete.serve import create_app  # noqa: E402

with tempfile.TemporaryDirectory(dir=work) as temp_dir:
    app = create_app(mapchete_files=[config], zoom=None, bounds=None, single_input_file=None,
                     mode="continue", quick=False, debug=False, temp_dir=temp_dir)
    dump(app, refused_connections=sorted(set(refused)))
sys.stdout.flush()
os._exit(0)
