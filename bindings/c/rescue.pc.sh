#!/bin/sh
# Writes rescue.pc: rescue.pc.sh PREFIX VERSION "NATIVE_STATIC_LIBS"
cat <<PC
prefix=$1
exec_prefix=\${prefix}
libdir=\${exec_prefix}/lib
includedir=\${prefix}/include

Name: rescue
Description: Client for the LogMeIn Rescue API (login, authcodes, Lens and desktop PIN codes)
Version: $2
Libs: -L\${libdir} -lrescue
Libs.private: $3
Cflags: -I\${includedir}
PC
