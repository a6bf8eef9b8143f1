"""The demo school of the walkthrough (scripts/demo.sh): its builders, files and commands.

builders.py makes the school, its commission, meetings and appeals through the real services;
reports.py its past quarters' appeals and quarterly report; neighbours.py the district's other
schools, built the same way; calendar.py the days all of it is dated to, in the order a real
school's happen (issue 21: the demo obeys the rules real data obey); files.py the secrets it
keeps in the data folder (which a production server refuses, trustbox/core/production.py).
Nothing of Trust Box imports this package except core's production check (the paths of those
files) and the tests.
"""
