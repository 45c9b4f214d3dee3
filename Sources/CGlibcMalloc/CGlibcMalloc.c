// The module only re-exports <malloc.h>; SwiftPM needs one source file per C target.
#include "CGlibcMalloc.h"
