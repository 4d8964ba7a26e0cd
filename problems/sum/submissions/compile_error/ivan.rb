# Ruby is not a supported language: graded CE with the reason.
puts gets.split.map(&:to_i).sum
