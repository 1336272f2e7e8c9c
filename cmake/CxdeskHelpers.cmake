# cxdesk_test(NAME name SOURCES ... DEPS ... LABEL unit|integration|e2e)
# Builds one GoogleTest binary and registers it with ctest under a label.
function(cxdesk_test)
  cmake_parse_arguments(T "" "NAME;LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT 300)
  # Integration tests assert what the event streams release, which waits for
  # every older open transaction in the cluster (pg_snapshot_xmin): another
  # test's services or store beside them hold them back. So every test that
  # touches the one PostgreSQL of the run (integration and e2e) runs alone.
  if(T_LABEL STREQUAL "integration" OR T_LABEL STREQUAL "e2e")
    set_tests_properties(${T_NAME} PROPERTIES RESOURCE_LOCK postgres_xmin)
  endif()
endfunction()

# ---- Layering: tests/check_layering.sh ----
#
# cxdesk_pure(target...) marks libraries of domain rules and use cases (the
# rules and managers of each service, and the base library): they may link
# the base library and Abseil, but must reach neither libpqxx nor protobuf or
# gRPC, in their link closure or in a header they include.
function(cxdesk_pure)
  set_property(GLOBAL APPEND PROPERTY CXDESK_PURE_TARGETS ${ARGN})
endfunction()

# Every library `target` links, directly or through others (PUBLIC, PRIVATE
# and LINK_ONLY alike), into `out`.
function(cxdesk_link_closure target out)
  set(seen "")
  set(queue ${target})
  while(queue)
    list(POP_FRONT queue t)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" t "${t}")
    if(t MATCHES "^\\$<" OR t IN_LIST seen)
      continue()
    endif()
    list(APPEND seen ${t})
    if(NOT TARGET ${t})
      continue()
    endif()
    get_target_property(type ${t} TYPE)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      get_target_property(libs ${t} LINK_LIBRARIES)
      if(libs)
        list(APPEND queue ${libs})
      endif()
    endif()
    get_target_property(libs ${t} INTERFACE_LINK_LIBRARIES)
    if(libs)
      list(APPEND queue ${libs})
    endif()
  endwhile()
  list(REMOVE_ITEM seen ${target})
  set(${out} ${seen} PARENT_SCOPE)
endfunction()

# Writes `file`: one line per pure target, "<target> <build dir of its
# objects> <every library in its link closure>...", for the layering check.
function(cxdesk_write_layering file)
  get_property(targets GLOBAL PROPERTY CXDESK_PURE_TARGETS)
  set(text "")
  foreach(t ${targets})
    cxdesk_link_closure(${t} closure)
    get_target_property(dir ${t} BINARY_DIR)
    file(RELATIVE_PATH dir ${CMAKE_BINARY_DIR} ${dir})
    string(JOIN " " deps ${closure})
    string(APPEND text "${t} ${dir}/CMakeFiles/${t}.dir ${deps}\n")
  endforeach()
  file(WRITE ${file} "${text}")
endfunction()

# cxdesk_embed_migrations(TARGET target DIR dir SYMBOL symbol)
# Compiles every V*.sql file in DIR into the library TARGET as a sorted table of
# {version, name, sql}, so binaries carry their migrations with them. A
# V*.sql.in file is a migration written with the SQL templates of db/common
# (cmake/SqlText.cmake): it is embedded expanded, under its name without
# `.in`, and the expanded text is left in <build>/.../TARGET_sql/ to read.
function(cxdesk_embed_migrations)
  cmake_parse_arguments(E "" "TARGET;DIR;SYMBOL" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS "${E_DIR}/V*.sql" "${E_DIR}/V*.sql.in")
  list(SORT sql_files)
  file(GLOB templates CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/db/common/*.sql.in")
  list(SORT templates)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_migrations.cc")
  set(expanded_dir "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_sql")
  set(expanded "")
  foreach(f ${sql_files})
    if(f MATCHES "/([^/]*\\.sql)\\.in$")
      list(APPEND expanded "${expanded_dir}/${CMAKE_MATCH_1}")
    endif()
  endforeach()
  file(MAKE_DIRECTORY ${expanded_dir})
  # A ';' would split the shell command: pass the lists joined by '|'.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  string(REPLACE ";" "|" templates_arg "${templates}")
  add_custom_command(
    OUTPUT ${out}
    BYPRODUCTS ${expanded}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${E_SYMBOL}
            "-DFILES=${files_arg}" "-DTEMPLATES=${templates_arg}"
            -DEXPANDED_DIR=${expanded_dir}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${templates}
            ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
            ${PROJECT_SOURCE_DIR}/cmake/SqlText.cmake
    COMMENT "Embedding migrations for ${E_TARGET}"
    VERBATIM)
  add_library(${E_TARGET} STATIC ${out})
  target_link_libraries(${E_TARGET} PUBLIC cxdesk_pg)
endfunction()

# cxdesk_embed_queries(TARGET target DIR dir NAMESPACE ns HEADER path)
# The statements of DIR/*.sql (sorted by file name; see
# cmake/EmbedQueries.cmake for their form) as the generated header HEADER
# (e.g. services/ticket/queries_generated.h) of the INTERFACE library
# TARGET: a `common::NamedQuery` constant per statement, in namespace NS, and
# `All()`, the list the pool prepares. Link TARGET to include the header.
function(cxdesk_embed_queries)
  cmake_parse_arguments(E "" "TARGET;DIR;NAMESPACE;HEADER" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS "${E_DIR}/*.sql")
  list(SORT sql_files)
  set(include_dir "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_include")
  set(out "${include_dir}/${E_HEADER}")
  string(TOUPPER "CXDESK_${E_HEADER}_" guard)
  string(REGEX REPLACE "[^A-Z0-9]" "_" guard "${guard}")
  file(RELATIVE_PATH source ${PROJECT_SOURCE_DIR} ${E_DIR})
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAMESPACE=${E_NAMESPACE}
            -DGUARD=${guard} -DSOURCE=${source} "-DFILES=${files_arg}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedQueries.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedQueries.cmake
            ${PROJECT_SOURCE_DIR}/cmake/SqlText.cmake
    COMMENT "Embedding the SQL statements of ${source}"
    VERBATIM)
  add_custom_target(${E_TARGET}_header DEPENDS ${out})
  add_library(${E_TARGET} INTERFACE)
  target_include_directories(${E_TARGET} INTERFACE ${include_dir})
  target_link_libraries(${E_TARGET} INTERFACE cxdesk_pg)
  # Followed by everything that links TARGET: the header exists before they
  # compile.
  add_dependencies(${E_TARGET} ${E_TARGET}_header)
endfunction()

# ---- Fuzzing (libFuzzer): docs/fuzzing.md, deploy/fuzz.sh ----
#
# With -DCXDESK_FUZZ=ON (and clang++-14 as the compiler) the whole build is
# instrumented for libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer,
# and cxdesk_fuzz() adds the fuzz targets; build them with the custom target
# cxdesk_fuzz_targets, run them with `ctest -L fuzz`. OFF (the default), this
# block and cxdesk_fuzz() change nothing.
option(CXDESK_FUZZ "Build the libFuzzer targets (needs clang++-14)" OFF)
set(CXDESK_FUZZ_SECONDS 5 CACHE STRING
    "How long each fuzz target runs under ctest (-max_total_time)")

if(CXDESK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR
      "CXDESK_FUZZ=ON needs clang (libFuzzer): configure a separate build "
      "folder with -DCMAKE_CXX_COMPILER=clang++-14 (see deploy/fuzz.sh); "
      "this one uses ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER}")
  endif()
  # Every library the targets link is instrumented, so coverage reaches our
  # code and the sanitizers see it; only the fuzz targets link libFuzzer's
  # main(). UBSan findings abort, so the fuzzer records them as crashes.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
                      -fno-sanitize-recover=undefined -fno-omit-frame-pointer
                      -Wno-unknown-warning-option)
  add_link_options(-fsanitize=address,undefined)
  add_custom_target(cxdesk_fuzz_targets)
endif()

# cxdesk_fuzz(NAME name SOURCES ... DEPS ...)
# A libFuzzer target `name` (its corpus: fuzz/corpus/<name>/), registered with
# ctest under the label `fuzz`: it runs CXDESK_FUZZ_SECONDS on a scratch copy
# of the corpus in the build folder (new inputs go there, never into the
# repository) and saves a crashing input under <build>/fuzz/artifacts/<name>/.
# Does nothing unless CXDESK_FUZZ is ON.
function(cxdesk_fuzz)
  if(NOT CXDESK_FUZZ)
    return()
  endif()
  cmake_parse_arguments(F "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_executable(${F_NAME} ${F_SOURCES})
  target_link_libraries(${F_NAME} PRIVATE ${F_DEPS})
  target_link_options(${F_NAME} PRIVATE -fsanitize=fuzzer)
  # Not part of `all`: the fuzz build makes cxdesk_fuzz_targets only.
  set_target_properties(${F_NAME} PROPERTIES EXCLUDE_FROM_ALL ON)
  add_dependencies(cxdesk_fuzz_targets ${F_NAME})
  set(corpus ${PROJECT_SOURCE_DIR}/fuzz/corpus/${F_NAME})
  set(scratch ${CMAKE_BINARY_DIR}/fuzz/corpus/${F_NAME})
  set(artifacts ${CMAKE_BINARY_DIR}/fuzz/artifacts/${F_NAME})
  file(MAKE_DIRECTORY ${scratch} ${artifacts})
  add_test(NAME ${F_NAME}
    COMMAND ${F_NAME} -max_total_time=${CXDESK_FUZZ_SECONDS} -timeout=10
            -rss_limit_mb=2048 -print_final_stats=1
            -artifact_prefix=${artifacts}/ ${scratch} ${corpus})
  # The run itself plus loading the corpus and the final merge of coverage.
  math(EXPR timeout "${CXDESK_FUZZ_SECONDS} + 300")
  set_tests_properties(${F_NAME} PROPERTIES LABELS fuzz TIMEOUT ${timeout}
    ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1")
endfunction()
