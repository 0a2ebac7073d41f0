#include "cli.hpp"

int main(int argc, char** argv) { return eventhost::host::run_cli(argc, argv); }
