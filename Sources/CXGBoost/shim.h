// XGBoost's C API (Debian: libxgboost-dev), found through pkg-config "xgboost".
#include <xgboost/c_api.h>
