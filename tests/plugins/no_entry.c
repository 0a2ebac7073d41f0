/* A shared object that is not an eventhost plugin: it lacks the entry point. */
int some_other_library_function(void) { return 42; }
