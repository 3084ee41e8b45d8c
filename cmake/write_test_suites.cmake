# Script mode (cmake -P), run after each link of the test binary: lists its tests and
# writes one ctest test per gtest suite, which runs that suite's tests in one process.
#
# Why a process per suite rather than per test: a sanitized test binary takes about
# half a second to start and, under LeakSanitizer, to exit. With 1,850 tests that
# was over half of CI's sanitizer run.
#
# Variables: TEST_EXECUTABLE, WORKING_DIRECTORY, OUTPUT_FILE, SUITE_TIMEOUT, and
# FIRST_SUITES (comma-separated suites that take minutes: they are given a high COST, so
# that ctest -j starts them first instead of waiting on them at the end).

cmake_minimum_required(VERSION 3.25)

execute_process(COMMAND "${TEST_EXECUTABLE}" --gtest_list_tests
                WORKING_DIRECTORY "${WORKING_DIRECTORY}"
                OUTPUT_VARIABLE listing
                RESULT_VARIABLE result
                TIMEOUT 120)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests failed (${result}):\n${listing}")
endif()

string(REPLACE "," ";" FIRST_SUITES "${FIRST_SUITES}")
string(REPLACE ";" "\\;" listing "${listing}")
string(REPLACE "\n" ";" lines "${listing}")
set(script "")
set(count 0)
foreach(line IN LISTS lines)
  # A suite's line starts in the first column and ends with '.', before an optional
  # "  # TypeParam = ..." comment; its tests' lines are indented.
  if(line MATCHES "^([^ #][^ ]*)\\.( .*)?$")
    set(suite "${CMAKE_MATCH_1}")
    string(APPEND script
      "add_test([==[${suite}]==] \"${TEST_EXECUTABLE}\" [==[--gtest_filter=${suite}.*]==])\n"
      "set_tests_properties([==[${suite}]==] PROPERTIES WORKING_DIRECTORY \"${WORKING_DIRECTORY}\""
      " TIMEOUT ${SUITE_TIMEOUT})\n")
    if(suite IN_LIST FIRST_SUITES)
      string(APPEND script "set_tests_properties([==[${suite}]==] PROPERTIES COST 1000000)\n")
    endif()
    math(EXPR count "${count} + 1")
  endif()
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "${TEST_EXECUTABLE} --gtest_list_tests listed no test suite:\n${listing}")
endif()
file(WRITE "${OUTPUT_FILE}" "${script}")
