// The module is its header's inline functions; SwiftPM needs one source file per C target.
#include "CSQLiteTuning.h"
