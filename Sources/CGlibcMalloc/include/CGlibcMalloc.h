// glibc's malloc tuning (mallopt and its M_ parameters, malloc_trim), which the Glibc module
// does not import. Empty elsewhere.
#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif
