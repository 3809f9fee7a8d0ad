// System-library shim: declarations only, no stable Swift API.
#include <cblas.h>
