"""`gestae evaluate`: measure the pipeline on gold data coded by hand.

Two kinds of gold: PLOVER-style gold sentences, one event each (sentences.py), and whole stories coded
event by event with their evidence (stories.py, the headline measure: the right event from the right
words). The kind is told by the records themselves.
"""
from gestae.evaluate.sentences import Gold, Report, Tally, main, print_report, read_gold, run, score
from gestae.evaluate.stories import StoryReport, evaluate as evaluate_stories, is_story_gold, print_story_report

__all__ = ["Gold", "Report", "Tally", "main", "print_report", "read_gold", "run", "score", "StoryReport",
           "evaluate_stories", "is_story_gold", "print_story_report"]
