# cxdesk_test(NAME name SOURCES ... DEPS ... LABEL unit|integration|e2e)
# Builds one GoogleTest binary and registers it with ctest under a label.
function(cxdesk_test)
  cmake_parse_arguments(T "" "NAME;LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gmock GTest::gtest_main)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS ${T_LABEL} TIMEOUT 300)
endfunction()

# cxdesk_embed_migrations(TARGET target DIR dir NAMESPACE ns)
# Compiles every V*.sql file in DIR into the library TARGET as a sorted table of
# {version, name, sql}, so binaries carry their migrations with them.
function(cxdesk_embed_migrations)
  cmake_parse_arguments(E "" "TARGET;DIR;SYMBOL" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS "${E_DIR}/V*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_TARGET}_migrations.cc")
  # A ';' would split the shell command: pass the list joined by '|'.
  string(REPLACE ";" "|" files_arg "${sql_files}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DSYMBOL=${E_SYMBOL}
            "-DFILES=${files_arg}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    DEPENDS ${sql_files} ${PROJECT_SOURCE_DIR}/cmake/EmbedMigrations.cmake
    COMMENT "Embedding migrations for ${E_TARGET}"
    VERBATIM)
  add_library(${E_TARGET} STATIC ${out})
  target_link_libraries(${E_TARGET} PUBLIC cxdesk_common)
endfunction()
