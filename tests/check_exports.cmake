# What a shared libtechmatch.so exports (ctest: shared_exports), run in
# script mode:
#
#   cmake -DLIBRARY=<libtechmatch.so> -DNM=<nm> -P tests/check_exports.cmake
#
# Every dynamic symbol it defines must be techmatch's: a C++ name in
# namespace techmatch (mangled _ZN9techmatch / _ZNK9techmatch), its typeinfo
# or vtable (_ZTI/_ZTS/_ZTV N9techmatch), or a C API function techmatch_*.
# Nothing of Faiss, hnswlib, ICU or the standard library. The public API's
# entry points must be there. Members of the Impl classes nested in exported
# classes are techmatch's too, but internal: they are counted and listed.
cmake_minimum_required(VERSION 3.18)

foreach(var LIBRARY NM)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_exports.cmake: pass -D${var}=<path>")
  endif()
endforeach()

execute_process(COMMAND "${NM}" -D --defined-only "${LIBRARY}"
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT result STREQUAL "0")
  message(FATAL_ERROR "[exports] ${NM} -D ${LIBRARY} failed: ${err}")
endif()
string(REPLACE "\n" ";" lines "${out}")

set(ours 0)
set(foreign)
set(impl)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] +" "" name "${line}")
  if(name MATCHES "^(_ZN9techmatch|_ZNK9techmatch|_ZT[ISV]N9techmatch|techmatch_)")
    math(EXPR ours "${ours} + 1")
    if(name MATCHES "4Impl")
      list(APPEND impl "${name}")
    endif()
  else()
    list(APPEND foreign "${name}")
  endif()
endforeach()

if(foreign)
  list(LENGTH foreign n)
  list(JOIN foreign "\n  " shown)
  message(FATAL_ERROR "[exports] ${LIBRARY} exports ${n} symbols that are "
                      "not techmatch's:\n  ${shown}")
endif()
# A few entry points of the public API (version(), Engine::Open, Status).
foreach(required _ZN9techmatch7versionEv _ZN9techmatch6Engine4Open
                 _ZNK9techmatch6Status8ToString)
  if(NOT out MATCHES "${required}")
    message(FATAL_ERROR "[exports] ${LIBRARY} does not export ${required}")
  endif()
endforeach()
list(LENGTH impl n_impl)
message(STATUS "[exports] ${ours} techmatch symbols, nothing else; "
               "${n_impl} of them members of nested Impl classes")
