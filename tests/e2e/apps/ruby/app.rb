require "bundler/setup"
require "etc"

frozen = Bundler.frozen_bundle? ? "frozen" : "not-frozen"
puts "hello from ruby bundle=#{frozen} uid=#{Process.uid} cwd=#{Dir.pwd}"
