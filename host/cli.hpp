// The command line: run, validate, plugins list|describe, --version, --help.
#pragma once

namespace eventhost::host {

int run_cli(int argc, char** argv);

}  // namespace eventhost::host
