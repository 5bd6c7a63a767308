// OpenBLAS's CBLAS interface (Debian: libopenblas-dev), found through pkg-config "openblas".
#include <cblas.h>
