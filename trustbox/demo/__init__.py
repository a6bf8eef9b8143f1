"""The demo school of the walkthrough (scripts/demo.sh): its builders, files and commands.

builders.py makes the school, its commission, meetings and appeals through the real services;
reports.py its quarterly report and district; files.py the secrets it keeps in the data folder
(which a production server refuses, trustbox/core/production.py). Nothing of Trust Box imports
this package except core's production check (the paths of those files) and the tests.
"""
