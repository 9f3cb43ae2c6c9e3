# Installation test (ctest: install_consumer), run in script mode:
#
#   cmake -DSOURCE_DIR=<repo> -DBUILD_DIR=<build> -DWORK_DIR=<scratch>
#         -P tests/install/run_install_test.cmake
#
# 1. installs BUILD_DIR into WORK_DIR/prefix (cmake --install --prefix);
# 2. builds tests/install (find_package(techmatch)) against that prefix, runs
#    the consumer and checks its exit code and output;
# 3. builds the same consumer.cc with the C++ compiler and the flags from
#    `pkg-config --cflags --libs [--static] techmatch` (--static when the
#    installed library is libtechmatch.a), and runs it; the same for
#    c_consumer.c (the C API from C99) in both ways.
# 4. when the build made the Python module, imports the installed one.
# Any failure stops with FATAL_ERROR and the failing command's output.
cmake_minimum_required(VERSION 3.18)

foreach(var SOURCE_DIR BUILD_DIR WORK_DIR)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_install_test.cmake: pass -D${var}=<path>")
  endif()
endforeach()

set(prefix "${WORK_DIR}/prefix")
set(consumer_src "${SOURCE_DIR}/tests/install")

# run_checked(<what> <command> [args...]): runs the command and stops with
# its full output if it fails. The output is left in run_output.
function(run_checked what)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "[install test] ${what}: ${shown}")
  execute_process(COMMAND ${ARGN}
                  RESULT_VARIABLE result
                  OUTPUT_VARIABLE out
                  ERROR_VARIABLE err
                  TIMEOUT 900)
  if(NOT result STREQUAL "0")
    message(FATAL_ERROR
      "[install test] ${what} failed (exit ${result})\n"
      "command: ${shown}\n"
      "---- stdout ----\n${out}\n"
      "---- stderr ----\n${err}")
  endif()
  set(run_output "${out}${err}" PARENT_SCOPE)
endfunction()

# check_consumer_output(<what> <output>): the consumer must say it is ok.
function(check_consumer_output what out)
  if(NOT out MATCHES "consumer ok")
    message(FATAL_ERROR
      "[install test] ${what} exited 0 but did not print 'consumer ok':\n"
      "${out}")
  endif()
  message(STATUS "[install test] ${what} output:\n${out}")
endfunction()

# Reads one entry of BUILD_DIR's CMake cache ("" if absent).
function(read_build_cache name out_var)
  set(value "")
  file(STRINGS "${BUILD_DIR}/CMakeCache.txt" lines
       REGEX "^${name}:[A-Z]+=")
  if(lines)
    list(GET lines 0 line)
    string(REGEX REPLACE "^${name}:[A-Z]+=" "" value "${line}")
  endif()
  set(${out_var} "${value}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${BUILD_DIR}/CMakeCache.txt")
  message(FATAL_ERROR "[install test] ${BUILD_DIR} is not a configured build")
endif()
# The consumer is built with the same compiler and generator as techmatch.
read_build_cache(CMAKE_CXX_COMPILER cxx)
read_build_cache(CMAKE_C_COMPILER cc)
read_build_cache(CMAKE_GENERATOR generator)
if(cxx STREQUAL "")
  message(FATAL_ERROR "[install test] no CMAKE_CXX_COMPILER in ${BUILD_DIR}")
endif()

# ---- 0. a clean scratch directory ----
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

# ---- 1. install ----
run_checked("install" "${CMAKE_COMMAND}" --install "${BUILD_DIR}"
            --prefix "${prefix}")
foreach(required include/techmatch/techmatch.h include/techmatch/version.h)
  if(NOT EXISTS "${prefix}/${required}")
    message(FATAL_ERROR "[install test] ${required} was not installed")
  endif()
endforeach()
# The umbrella header must include every installed public header.
file(READ "${prefix}/include/techmatch/techmatch.h" umbrella)
file(GLOB public_headers RELATIVE "${prefix}/include/techmatch"
     "${prefix}/include/techmatch/*.h")
set(not_in_umbrella)
foreach(header IN LISTS public_headers)
  if(NOT header STREQUAL "techmatch.h" AND
     NOT umbrella MATCHES "#include \"techmatch/${header}\"")
    list(APPEND not_in_umbrella "${header}")
  endif()
endforeach()
if(not_in_umbrella)
  message(FATAL_ERROR "[install test] include/techmatch/techmatch.h does not "
                      "include: ${not_in_umbrella}")
endif()

# ---- 2. find_package(techmatch) ----
set(generator_args)
if(NOT generator STREQUAL "")
  set(generator_args -G "${generator}")
endif()
run_checked("configure consumer (find_package)"
  "${CMAKE_COMMAND}" -S "${consumer_src}" -B "${WORK_DIR}/build"
  ${generator_args}
  "-DCMAKE_CXX_COMPILER=${cxx}"
  "-DCMAKE_C_COMPILER=${cc}"
  "-DCMAKE_BUILD_TYPE=Release"
  "-DCMAKE_PREFIX_PATH=${prefix}"
  # Only the scratch prefix may satisfy find_package(techmatch): no package
  # registry.
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON)

# Make sure the package came from the prefix, not from a system install.
file(STRINGS "${WORK_DIR}/build/CMakeCache.txt" found_dir
     REGEX "^techmatch_DIR:")
string(REGEX REPLACE "^techmatch_DIR:[A-Z]+=" "" found_dir "${found_dir}")
get_filename_component(real_prefix "${prefix}" REALPATH)
if(EXISTS "${found_dir}")
  get_filename_component(found_dir "${found_dir}" REALPATH)
endif()
string(FIND "${found_dir}" "${real_prefix}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR
    "[install test] find_package(techmatch) used '${found_dir}', "
    "not the install prefix '${real_prefix}'")
endif()

run_checked("build consumer (find_package)"
  "${CMAKE_COMMAND}" --build "${WORK_DIR}/build" --config Release)
set(cmake_consumer "${WORK_DIR}/build/consumer")
if(NOT EXISTS "${cmake_consumer}")
  message(FATAL_ERROR "[install test] ${cmake_consumer} was not built")
endif()
run_checked("run consumer (find_package)" "${cmake_consumer}")
check_consumer_output("consumer (find_package)" "${run_output}")
run_checked("run C consumer (find_package)" "${WORK_DIR}/build/c_consumer")
if(NOT run_output MATCHES "c consumer ok")
  message(FATAL_ERROR "[install test] c_consumer did not print 'c consumer ok':\n"
                      "${run_output}")
endif()
# Built when the library is static (see CMakeLists.txt there): the whole
# archive linked through the exported target.
if(EXISTS "${WORK_DIR}/build/consumer_whole_archive")
  run_checked("run consumer (find_package, whole archive)"
              "${WORK_DIR}/build/consumer_whole_archive")
  check_consumer_output("consumer (find_package, whole archive)"
                        "${run_output}")
endif()

# ---- 3. pkg-config ----
find_program(PKG_CONFIG_EXECUTABLE NAMES pkg-config pkgconf)
if(NOT PKG_CONFIG_EXECUTABLE)
  message(FATAL_ERROR "[install test] pkg-config not found")
endif()

# The pkgconfig directory is under the real libdir (lib, lib64 or
# lib/<multiarch>), so look for the file rather than guess.
file(GLOB_RECURSE pc_files LIST_DIRECTORIES false "${prefix}/techmatch.pc")
list(LENGTH pc_files pc_count)
if(NOT pc_count EQUAL 1)
  message(FATAL_ERROR
    "[install test] expected one installed techmatch.pc, found ${pc_count}: "
    "${pc_files}")
endif()
get_filename_component(pc_dir "${pc_files}" DIRECTORY)
if(NOT pc_dir MATCHES "/pkgconfig$")
  message(FATAL_ERROR "[install test] techmatch.pc is not in a pkgconfig "
                      "directory: ${pc_files}")
endif()
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")

run_checked("pkg-config --modversion" "${PKG_CONFIG_EXECUTABLE}"
            --modversion techmatch)
string(STRIP "${run_output}" pc_version)
message(STATUS "[install test] techmatch.pc version ${pc_version}")

# Which library was installed: a static one needs --static (its
# dependencies' flags, Libs.private / Requires.private); a shared one must
# link without them.
run_checked("pkg-config --variable=libdir" "${PKG_CONFIG_EXECUTABLE}"
            --variable=libdir techmatch)
string(STRIP "${run_output}" pc_libdir)
set(static_lib "${pc_libdir}/libtechmatch.a")
set(pc_static --static)
set(library_kind static)
if(NOT EXISTS "${static_lib}")
  set(pc_static)
  set(library_kind shared)
  # The soname link (libtechmatch.so.<major>) is what programs load.
  file(GLOB soname_links "${pc_libdir}/libtechmatch.so.[0-9]")
  if(NOT EXISTS "${pc_libdir}/libtechmatch.so" OR NOT soname_links)
    message(FATAL_ERROR "[install test] neither libtechmatch.a nor "
                        "libtechmatch.so and its soname link in ${pc_libdir}")
  endif()
endif()
execute_process(
  COMMAND "${PKG_CONFIG_EXECUTABLE}" --cflags --libs ${pc_static} techmatch
  RESULT_VARIABLE result
  OUTPUT_VARIABLE pc_flags
  ERROR_VARIABLE pc_err)
if(NOT result STREQUAL "0")
  message(FATAL_ERROR
    "[install test] pkg-config --cflags --libs ${pc_static} techmatch failed "
    "(exit ${result}):\n${pc_flags}\n${pc_err}")
endif()
string(STRIP "${pc_flags}" pc_flags)
message(STATUS "[install test] pkg-config flags: ${pc_flags}")

# The flags must point into the prefix we installed to: a .pc file that
# hard-codes the configure-time CMAKE_INSTALL_PREFIX breaks
# `cmake --install --prefix` and relocated installs.
string(FIND "${pc_flags}" "${prefix}/" at)
string(FIND "${pc_flags}" "${real_prefix}/" real_at)
if(at EQUAL -1 AND real_at EQUAL -1)
  message(FATAL_ERROR
    "[install test] techmatch.pc does not point into the install prefix "
    "${prefix}; pkg-config gave:\n  ${pc_flags}\n"
    "The .pc must be relocatable, e.g. prefix=\${pcfiledir}/<relative path "
    "from the pkgconfig directory to the prefix>.")
endif()

separate_arguments(pc_args UNIX_COMMAND "${pc_flags}")
if(NOT pc_static)
  # The consumer must find libtechmatch.so.N in the prefix when it runs.
  list(APPEND pc_args "-Wl,-rpath,${pc_libdir}")
endif()
set(pc_consumer "${WORK_DIR}/pkgconfig/consumer")
file(MAKE_DIRECTORY "${WORK_DIR}/pkgconfig")
# Source first, then the libraries, so a static link resolves in order.
run_checked("build consumer (pkg-config)"
  "${cxx}" -Wall -Wextra -Wpedantic -Werror -O1
  "${consumer_src}/consumer.cc" -o "${pc_consumer}" ${pc_args})
run_checked("run consumer (pkg-config)" "${pc_consumer}")
check_consumer_output("consumer (pkg-config)" "${run_output}")
# The C API: compiled by the C compiler as C99, linked by the C++ driver
# (the library is C++).
run_checked("pkg-config --cflags" "${PKG_CONFIG_EXECUTABLE}" --cflags techmatch)
separate_arguments(pc_cflags UNIX_COMMAND "${run_output}")
run_checked("compile C consumer (pkg-config)"
  "${cc}" -std=c99 -Wall -Wextra -Wpedantic -Werror -O1 -c
  "${consumer_src}/c_consumer.c" -o "${WORK_DIR}/pkgconfig/c_consumer.o"
  ${pc_cflags})
run_checked("link C consumer (pkg-config)"
  "${cxx}" "${WORK_DIR}/pkgconfig/c_consumer.o"
  -o "${WORK_DIR}/pkgconfig/c_consumer" ${pc_args})
run_checked("run C consumer (pkg-config)" "${WORK_DIR}/pkgconfig/c_consumer")
if(NOT run_output MATCHES "c consumer ok")
  message(FATAL_ERROR "[install test] c_consumer (pkg-config) did not print "
                      "'c consumer ok':\n${run_output}")
endif()

# Static library: link all of it with the same flags, so every dependency
# of every object must be declared in techmatch.pc (Libs.private /
# Requires.private), not only those consumer.cc happens to reach.
if(EXISTS "${static_lib}" AND NOT APPLE)
  set(whole_args)
  foreach(arg IN LISTS pc_args)
    if(arg STREQUAL "-ltechmatch")
      list(APPEND whole_args -Wl,--whole-archive "${static_lib}"
                             -Wl,--no-whole-archive)
    else()
      list(APPEND whole_args "${arg}")
    endif()
  endforeach()
  set(pc_whole "${WORK_DIR}/pkgconfig/consumer_whole_archive")
  run_checked("build consumer (pkg-config, whole archive)"
    "${cxx}" -O1 "${consumer_src}/consumer.cc" -o "${pc_whole}" ${whole_args})
  run_checked("run consumer (pkg-config, whole archive)" "${pc_whole}")
  check_consumer_output("consumer (pkg-config, whole archive)"
                        "${run_output}")
endif()

# ---- 4. the Python module, when this build made one ----
file(GLOB built_module "${BUILD_DIR}/python/techmatch/_techmatch*.so")
if(built_module)
  file(GLOB py_init "${prefix}/lib/python3*/dist-packages/techmatch/__init__.py")
  if(NOT py_init)
    message(FATAL_ERROR "[install test] the Python module was built but not "
                        "installed under ${prefix}/lib/python3*/dist-packages")
  endif()
  get_filename_component(py_package "${py_init}" DIRECTORY)
  get_filename_component(py_path "${py_package}" DIRECTORY)
  read_build_cache(Python3_EXECUTABLE python)  # the one it was built for
  if(python STREQUAL "")
    set(python python3)
  endif()
  run_checked("import the installed Python module"
    "${CMAKE_COMMAND}" -E env "PYTHONPATH=${py_path}"
    "${python}" "${consumer_src}/python_consumer.py" "${py_path}")
  if(NOT run_output MATCHES "python consumer ok")
    message(FATAL_ERROR "[install test] python_consumer.py did not print "
                        "'python consumer ok':\n${run_output}")
  endif()
  message(STATUS "[install test] Python module: ${run_output}")
endif()

message(STATUS "[install test] passed: find_package and pkg-config "
               "(${library_kind} library)")
