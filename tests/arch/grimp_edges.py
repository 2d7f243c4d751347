"""Prints grimp's import edges of the packages named on the command line as
JSON: [[importer, imported, line], ...]. Run with the package's parent
folder as the first argument (it goes on sys.path; grimp only reads files,
it never imports the packages)."""

import json
import sys

import grimp


def main():
    parent, packages = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, parent)
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                edges.append([importer, imported, detail["line_number"]])
    json.dump({"modules": sorted(graph.modules), "edges": edges}, sys.stdout)


if __name__ == "__main__":
    main()
